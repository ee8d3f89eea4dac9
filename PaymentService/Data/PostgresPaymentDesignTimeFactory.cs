using ConcertBooking.Database;

namespace ConcertBooking.PaymentService.Data;

/// <summary>What <c>dotnet ef</c> builds the PostgreSQL context with when it adds a migration.</summary>
public sealed class PostgresPaymentDesignTimeFactory() : DesignTimeDbContextFactory<PostgresPaymentDbContext>(DatabaseProvider.Postgres);
