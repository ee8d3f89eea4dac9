using ConcertBooking.ConcertService.Concerts;
using ConcertBooking.ConcertService.Reservations;
using ConcertBooking.Messaging;
using ConcertBooking.Database;
using ConcertBooking.UserReplica;
using Microsoft.EntityFrameworkCore;

namespace ConcertBooking.ConcertService.Data;

public class ConcertDbContext(DbContextOptions options) : ServiceDbContext(options), IUserReplicaStore
{
    public const string Schema = "concert";

    public DbSet<ReplicatedUser> Users => Set<ReplicatedUser>();

    public DbSet<Concert> Concerts => Set<Concert>();

    public DbSet<Seat> Seats => Set<Seat>();

    public DbSet<Reservation> Reservations => Set<Reservation>();

    public DbSet<UserSeatCount> UserSeatCounts => Set<UserSeatCount>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.HasDefaultSchema(Schema);
        modelBuilder.AddOutboxAndInbox();
        modelBuilder.AddUserReplica();
        modelBuilder.AddPaymentFailures();
        modelBuilder.Entity<Concert>(concert =>
        {
            concert.ToTable("Concerts");
            concert.Property(c => c.Id).ValueGeneratedNever();
            concert.Property(c => c.Name).HasMaxLength(200);
            concert.Property(c => c.Venue).HasMaxLength(200);
        });
        modelBuilder.Entity<Seat>(seat =>
        {
            seat.ToTable("Seats");
            seat.Property(s => s.Id).ValueGeneratedNever();
            seat.Property(s => s.Label).HasMaxLength(20);
            seat.Property(s => s.Price).HasPrecision(18, 2);
            seat.Property(s => s.Status).HasConversion<string>().HasMaxLength(20);
            seat.HasIndex(s => new { s.ConcertId, s.Label }).IsUnique();
            seat.HasIndex(s => s.ReservationId);
            // A concert's free seats in label order: what "any free seat" claims the first of, and what refused holds are
            // told about, without walking the seats already sold.
            seat.HasIndex(s => new { s.ConcertId, s.Status, s.Label });
            seat.HasOne<Concert>().WithMany().HasForeignKey(s => s.ConcertId);
        });
        modelBuilder.Entity<Reservation>(reservation =>
        {
            reservation.ToTable("Reservations");
            reservation.Property(r => r.Id).ValueGeneratedNever();
            reservation.Property(r => r.Amount).HasPrecision(18, 2);
            reservation.Property(r => r.Status).HasConversion<string>().HasMaxLength(20);
            // The sweeper's scan: pending reservations by expiry.
            reservation.HasIndex(r => new { r.Status, r.ExpiresAt });
            reservation.HasOne<Seat>().WithMany().HasForeignKey(r => r.SeatId);
            // One pending hold per entry pass: a second hold with the same pass fails on this index, whatever the race.
            // (Double-quoted identifiers are standard SQL; SQL Server reads them so with QUOTED_IDENTIFIER on, as
            // filtered indexes require anyway.)
            reservation.HasIndex(r => r.PassTokenId).IsUnique()
                .HasFilter($"\"{nameof(Reservation.Status)}\" = '{nameof(ReservationStatus.Pending)}' AND \"{nameof(Reservation.PassTokenId)}\" IS NOT NULL")
                .HasDatabaseName("IX_Reservations_PassTokenId_Pending");
        });
        modelBuilder.Entity<UserSeatCount>(count =>
        {
            count.ToTable("UserSeatCounts", t => t.HasCheckConstraint("CK_UserSeatCounts_Seats_NotNegative", "\"Seats\" >= 0"));
            count.HasKey(c => new { c.UserId, c.ConcertId });
        });
    }
}
