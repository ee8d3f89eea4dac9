using ConcertBooking.Messaging;
using ConcertBooking.Database;
using ConcertBooking.UserService.Identity;
using ConcertBooking.UserService.Users;
using Microsoft.EntityFrameworkCore;

namespace ConcertBooking.UserService.Data;

public class UserDbContext(DbContextOptions options) : ServiceDbContext(options)
{
    public const string Schema = "users";

    public DbSet<User> Users => Set<User>();

    public DbSet<SignInThrottle> SignInThrottles => Set<SignInThrottle>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.HasDefaultSchema(Schema);
        modelBuilder.AddOutboxAndInbox();
        modelBuilder.Entity<User>(user =>
        {
            user.ToTable("Users");
            user.HasKey(u => u.Id);
            user.Property(u => u.Id).ValueGeneratedNever();
            user.Property(u => u.Name).HasMaxLength(100);
            user.Property(u => u.Email).HasMaxLength(254);
            user.Property(u => u.NormalizedEmail).HasMaxLength(254);
            // The database, not a check before insert, is what makes concurrent signups with one email fail.
            user.HasIndex(u => u.NormalizedEmail).IsUnique();
            user.Property(u => u.Version).IsConcurrencyToken();
            user.Property(u => u.PasswordHash).HasMaxLength(200);
        });
        modelBuilder.Entity<SignInThrottle>(throttle =>
        {
            throttle.ToTable("SignInThrottles");
            throttle.HasKey(t => t.Key);
            throttle.Property(t => t.Key).HasMaxLength(SignInThrottle.KeyLength).IsFixedLength();
        });
    }
}
