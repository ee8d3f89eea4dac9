using ConcertBooking.Database;

namespace ConcertBooking.UserService.Data;

/// <summary>What <c>dotnet ef</c> builds the SQL Server context with when it adds a migration.</summary>
public sealed class SqlServerUserDesignTimeFactory() : DesignTimeDbContextFactory<SqlServerUserDbContext>(DatabaseProvider.SqlServer);
