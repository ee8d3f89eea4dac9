using ConcertBooking.PaymentService.Payments;
using Microsoft.EntityFrameworkCore;

namespace ConcertBooking.PaymentService.Data;

/// <summary>The SQL Server flavour: a subclass per provider, so each provider keeps its own migrations.</summary>
public sealed class SqlServerPaymentDbContext(DbContextOptions<SqlServerPaymentDbContext> options) : PaymentDbContext(options)
{
    /// <summary>A binary collation, so that the unique index and the lookups compare idempotency keys as PostgreSQL does.</summary>
    public const string IdempotencyKeyCollation = "Latin1_General_100_BIN2";

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        base.OnModelCreating(modelBuilder);
        // SQL Server compares by the database's collation, case-insensitive by default: "retry-A" and "retry-a" would be
        // one key, so a client's second payment would be refused as the first one's key reused.
        modelBuilder.Entity<Payment>().Property(p => p.IdempotencyKey).UseCollation(IdempotencyKeyCollation);
    }
}
