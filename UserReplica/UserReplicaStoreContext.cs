using Microsoft.EntityFrameworkCore;

namespace ConcertBooking.UserReplica;

internal static class UserReplicaStoreContext
{
    /// <summary>The DbContext behind the store, for the replica's compiled queries, which take one.</summary>
    public static DbContext Context(this IUserReplicaStore store) =>
        store as DbContext ?? throw new InvalidOperationException(
            $"{store.GetType().Name} implements {nameof(IUserReplicaStore)} but is not a DbContext; the replica's queries run on the service's DbContext.");
}
