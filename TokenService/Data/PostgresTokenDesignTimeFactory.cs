using ConcertBooking.Database;

namespace ConcertBooking.TokenService.Data;

/// <summary>What <c>dotnet ef</c> builds the PostgreSQL context with when it adds a migration.</summary>
public sealed class PostgresTokenDesignTimeFactory() : DesignTimeDbContextFactory<PostgresTokenDbContext>(DatabaseProvider.Postgres);
