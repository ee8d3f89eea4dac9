using ConcertBooking.Database;

namespace ConcertBooking.UserService.Data;

/// <summary>What <c>dotnet ef</c> builds the PostgreSQL context with when it adds a migration.</summary>
public sealed class PostgresUserDesignTimeFactory() : DesignTimeDbContextFactory<PostgresUserDbContext>(DatabaseProvider.Postgres);
