using ConcertBooking.Messaging;
using ConcertBooking.Database;
using ConcertBooking.PaymentService.Payments;
using ConcertBooking.PaymentService.Wallets;
using ConcertBooking.UserReplica;
using Microsoft.EntityFrameworkCore;

namespace ConcertBooking.PaymentService.Data;

public class PaymentDbContext(DbContextOptions options) : ServiceDbContext(options), IUserReplicaStore
{
    public const string Schema = "payment";

    public DbSet<ReplicatedUser> Users => Set<ReplicatedUser>();

    public DbSet<Wallet> Wallets => Set<Wallet>();

    public DbSet<Payment> Payments => Set<Payment>();

    public DbSet<PayableReservation> PayableReservations => Set<PayableReservation>();

    public DbSet<WalletTopUp> WalletTopUps => Set<WalletTopUp>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.HasDefaultSchema(Schema);
        modelBuilder.AddOutboxAndInbox();
        modelBuilder.AddUserReplica();
        modelBuilder.Entity<Wallet>(wallet =>
        {
            wallet.ToTable("Wallets");
            wallet.HasKey(w => w.UserId);
            wallet.Property(w => w.UserId).ValueGeneratedNever();
            wallet.Property(w => w.Balance).HasPrecision(18, 2);
            // The last line of defence: even a bug in a conditional UPDATE cannot overdraw a wallet.
            wallet.ToTable(t => t.HasCheckConstraint("CK_Wallets_Balance_NotNegative", "\"Balance\" >= 0"));
        });
        modelBuilder.Entity<Payment>(payment =>
        {
            payment.ToTable("Payments");
            payment.Property(p => p.Id).ValueGeneratedNever();
            payment.Property(p => p.IdempotencyKey).HasMaxLength(Payment.IdempotencyKeyMaxLength);
            payment.Property(p => p.Amount).HasPrecision(18, 2);
            payment.Property(p => p.Status).HasConversion<string>().HasMaxLength(20);
            // A key charges at most once, and a reservation is paid at most once whatever the key.
            payment.HasIndex(p => p.IdempotencyKey).IsUnique();
            payment.HasIndex(p => p.ReservationId).IsUnique();
        });
        modelBuilder.Entity<PayableReservation>(reservation =>
        {
            reservation.ToTable("PayableReservations");
            reservation.HasKey(r => r.ReservationId);
            reservation.Property(r => r.ReservationId).ValueGeneratedNever();
            reservation.Property(r => r.Amount).HasPrecision(18, 2);
            reservation.Property(r => r.Status).HasConversion<string>().HasMaxLength(20);
        });
        modelBuilder.Entity<WalletTopUp>(topUp =>
        {
            topUp.ToTable("WalletTopUps");
            topUp.Property(t => t.Id).ValueGeneratedNever();
            topUp.Property(t => t.Amount).HasPrecision(18, 2);
            // The daily limit sums one user's top-ups of the last 24 hours.
            topUp.HasIndex(t => new { t.UserId, t.ChargedAt });
        });
    }
}
