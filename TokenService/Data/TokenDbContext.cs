using ConcertBooking.Messaging;
using ConcertBooking.Messaging.Database;
using ConcertBooking.UserReplica;
using Microsoft.EntityFrameworkCore;

namespace ConcertBooking.TokenService.Data;

public class TokenDbContext(DbContextOptions options) : DbContext(options), IUserReplicaStore
{
    public const string Schema = "token";

    public DbSet<ReplicatedUser> Users => Set<ReplicatedUser>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.HasDefaultSchema(Schema);
        modelBuilder.AddOutboxAndInbox();
        modelBuilder.AddUserReplica();
    }
}

/// <summary>One subclass per provider, so each provider keeps its own migrations.</summary>
public sealed class PostgresTokenDbContext(DbContextOptions<PostgresTokenDbContext> options) : TokenDbContext(options);

public sealed class SqlServerTokenDbContext(DbContextOptions<SqlServerTokenDbContext> options) : TokenDbContext(options);

public sealed class PostgresTokenDesignTimeFactory() : DesignTimeDbContextFactory<PostgresTokenDbContext>(DatabaseProvider.Postgres);

public sealed class SqlServerTokenDesignTimeFactory() : DesignTimeDbContextFactory<SqlServerTokenDbContext>(DatabaseProvider.SqlServer);
