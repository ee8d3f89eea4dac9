using Microsoft.EntityFrameworkCore;

namespace ConcertBooking.UserReplica;

/// <summary>Implemented by the DbContext of each service that keeps a user replica.</summary>
public interface IUserReplicaStore
{
    DbSet<ReplicatedUser> Users { get; }
}
