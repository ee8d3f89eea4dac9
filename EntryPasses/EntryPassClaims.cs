namespace ConcertBooking.EntryPasses;

/// <summary>What an entry pass says: this user may reserve at this concert until the expiry.</summary>
public sealed record EntryPassClaims(Guid UserId, Guid ConcertId, Guid TokenId, DateTimeOffset ExpiresAt);
