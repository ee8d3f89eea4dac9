using ConcertBooking.Database;

namespace ConcertBooking.ConcertService.Data;

/// <summary>What <c>dotnet ef</c> builds the SQL Server context with when it adds a migration.</summary>
public sealed class SqlServerConcertDesignTimeFactory() : DesignTimeDbContextFactory<SqlServerConcertDbContext>(DatabaseProvider.SqlServer);
