using ConcertBooking.Messaging;
using ConcertBooking.Database;
using ConcertBooking.TokenService.Concerts;
using ConcertBooking.TokenService.Queue;
using ConcertBooking.UserReplica;
using Microsoft.EntityFrameworkCore;

namespace ConcertBooking.TokenService.Data;

public class TokenDbContext(DbContextOptions options) : ServiceDbContext(options), IUserReplicaStore
{
    public const string Schema = "token";

    public DbSet<ReplicatedUser> Users => Set<ReplicatedUser>();

    public DbSet<QueueToken> QueueTokens => Set<QueueToken>();

    /// <summary>The concerts ConcertService announced: a queue opens only for one of them.</summary>
    public DbSet<ReplicatedConcert> Concerts => Set<ReplicatedConcert>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.HasDefaultSchema(Schema);
        modelBuilder.AddOutboxAndInbox();
        modelBuilder.AddUserReplica();
        modelBuilder.Entity<QueueToken>(token =>
        {
            token.ToTable("QueueTokens");
            token.HasKey(t => t.Id);
            token.Property(t => t.Id).ValueGeneratedNever();
            token.Property(t => t.Sequence).ValueGeneratedOnAdd();
            // One token per user and concert, enforced by the database even for concurrent entries.
            token.HasIndex(t => new { t.ConcertId, t.UserId }).IsUnique();
            // The admitter and the position query read a concert's waiting tokens in queue order.
            token.HasIndex(t => new { t.ConcertId, t.Status, t.EnteredAt, t.Sequence });
            token.Property(t => t.Status).HasConversion<string>().HasMaxLength(20).IsConcurrencyToken();
            token.Property(t => t.EntryPass).HasMaxLength(400);
            // The purge's scans: waiting tokens by when they entered, admissions by when they expire.
            token.HasIndex(t => new { t.Status, t.EnteredAt });
            token.HasIndex(t => t.ExpiresAt);
            // A deleted user's tokens are removed by user.
            token.HasIndex(t => t.UserId);
        });
        modelBuilder.Entity<ReplicatedConcert>(concert =>
        {
            concert.ToTable("Concerts");
            concert.HasKey(c => c.Id);
            concert.Property(c => c.Id).ValueGeneratedNever();
        });
    }
}
