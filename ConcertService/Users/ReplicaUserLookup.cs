using ConcertBooking.ConcertService.Data;
using ConcertBooking.UserReplica;

namespace ConcertBooking.ConcertService.Users;

internal sealed class ReplicaUserLookup(ConcertDbContext db) : IUserLookup
{
    public async Task<UserLookupResult> FindAsync(Guid userId, CancellationToken cancellationToken) =>
        await db.IsKnownAsync(userId, cancellationToken) ? UserLookupResult.Known : UserLookupResult.Unknown;

    public bool ReadsLocalReplica => true;
}
