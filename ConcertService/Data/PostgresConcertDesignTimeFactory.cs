using ConcertBooking.Database;

namespace ConcertBooking.ConcertService.Data;

/// <summary>What <c>dotnet ef</c> builds the PostgreSQL context with when it adds a migration.</summary>
public sealed class PostgresConcertDesignTimeFactory() : DesignTimeDbContextFactory<PostgresConcertDbContext>(DatabaseProvider.Postgres);
