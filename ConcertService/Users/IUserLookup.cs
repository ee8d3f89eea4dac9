namespace ConcertBooking.ConcertService.Users;

/// <summary>Whether a user may book: the local replica by default, UserService over HTTP as the measured baseline.</summary>
public interface IUserLookup
{
    Task<UserLookupResult> FindAsync(Guid userId, CancellationToken cancellationToken);
}
