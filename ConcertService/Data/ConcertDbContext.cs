using ConcertBooking.Messaging;
using ConcertBooking.Messaging.Database;
using ConcertBooking.UserReplica;
using Microsoft.EntityFrameworkCore;

namespace ConcertBooking.ConcertService.Data;

public class ConcertDbContext(DbContextOptions options) : DbContext(options), IUserReplicaStore
{
    public const string Schema = "concert";

    public DbSet<ReplicatedUser> Users => Set<ReplicatedUser>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.HasDefaultSchema(Schema);
        modelBuilder.AddOutboxAndInbox();
        modelBuilder.AddUserReplica();
    }
}

/// <summary>One subclass per provider, so each provider keeps its own migrations.</summary>
public sealed class PostgresConcertDbContext(DbContextOptions<PostgresConcertDbContext> options) : ConcertDbContext(options);

public sealed class SqlServerConcertDbContext(DbContextOptions<SqlServerConcertDbContext> options) : ConcertDbContext(options);

public sealed class PostgresConcertDesignTimeFactory() : DesignTimeDbContextFactory<PostgresConcertDbContext>(DatabaseProvider.Postgres);

public sealed class SqlServerConcertDesignTimeFactory() : DesignTimeDbContextFactory<SqlServerConcertDbContext>(DatabaseProvider.SqlServer);
