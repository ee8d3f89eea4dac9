namespace ConcertBooking.UserService.Identity;

/// <summary>A signed access token and when it stops being accepted.</summary>
public sealed record AccessToken(string Token, DateTimeOffset ExpiresAt);
