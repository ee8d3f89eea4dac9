using ConcertBooking.Database;

namespace ConcertBooking.TokenService.Data;

/// <summary>What <c>dotnet ef</c> builds the SQL Server context with when it adds a migration.</summary>
public sealed class SqlServerTokenDesignTimeFactory() : DesignTimeDbContextFactory<SqlServerTokenDbContext>(DatabaseProvider.SqlServer);
