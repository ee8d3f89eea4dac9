namespace ConcertBooking.ConcertService.Users;

/// <summary>Whether a user may book: the local replica by default, UserService over HTTP as the measured baseline.</summary>
public interface IUserLookup
{
    Task<UserLookupResult> FindAsync(Guid userId, CancellationToken cancellationToken);

    /// <summary>
    /// True when the answer is this service's own replica, so a caller may ask it along with its own query (one round
    /// trip instead of two) rather than through <see cref="FindAsync"/>.
    /// </summary>
    bool ReadsLocalReplica { get; }
}
