using ConcertBooking.Messaging;
using ConcertBooking.Messaging.Database;
using ConcertBooking.UserReplica;
using Microsoft.EntityFrameworkCore;

namespace ConcertBooking.PaymentService.Data;

public class PaymentDbContext(DbContextOptions options) : DbContext(options), IUserReplicaStore
{
    public const string Schema = "payment";

    public DbSet<ReplicatedUser> Users => Set<ReplicatedUser>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.HasDefaultSchema(Schema);
        modelBuilder.AddOutboxAndInbox();
        modelBuilder.AddUserReplica();
    }
}

/// <summary>One subclass per provider, so each provider keeps its own migrations.</summary>
public sealed class PostgresPaymentDbContext(DbContextOptions<PostgresPaymentDbContext> options) : PaymentDbContext(options);

public sealed class SqlServerPaymentDbContext(DbContextOptions<SqlServerPaymentDbContext> options) : PaymentDbContext(options);

public sealed class PostgresPaymentDesignTimeFactory() : DesignTimeDbContextFactory<PostgresPaymentDbContext>(DatabaseProvider.Postgres);

public sealed class SqlServerPaymentDesignTimeFactory() : DesignTimeDbContextFactory<SqlServerPaymentDbContext>(DatabaseProvider.SqlServer);
