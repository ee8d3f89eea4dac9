using Microsoft.EntityFrameworkCore;

namespace ConcertBooking.UserReplica;

public static class UserReplicaModel
{
    public static ModelBuilder AddUserReplica(this ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<ReplicatedUser>(user =>
        {
            user.ToTable("Users");
            user.HasKey(u => u.Id);
            user.Property(u => u.Id).ValueGeneratedNever();
            // Nullable: a tombstone keeps neither.
            user.Property(u => u.Name).HasMaxLength(100);
            user.Property(u => u.Email).HasMaxLength(254);
            user.Property(u => u.Version).IsConcurrencyToken();
        });
        return modelBuilder;
    }
}
