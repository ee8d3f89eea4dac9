using ConcertBooking.Database;

namespace ConcertBooking.PaymentService.Data;

/// <summary>What <c>dotnet ef</c> builds the SQL Server context with when it adds a migration.</summary>
public sealed class SqlServerPaymentDesignTimeFactory() : DesignTimeDbContextFactory<SqlServerPaymentDbContext>(DatabaseProvider.SqlServer);
