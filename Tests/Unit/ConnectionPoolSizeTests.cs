using ConcertBooking.Database;

namespace ConcertBooking.Tests.Unit;

/// <summary>The pool size each provider reads from a connection string: what the consumers' concurrency is bounded by.</summary>
[TestFixture]
[Category(TestCategories.Unit)]
public sealed class ConnectionPoolSizeTests
{
    [TestCase("Host=db;Database=x;Maximum Pool Size=20", 20)]
    [TestCase("Host=db;Database=x", 100)]
    [TestCase("Host=db;Database=x;Pooling=false", null)]
    public void PostgreSQL(string connectionString, int? poolSize) =>
        Assert.That(PostgresDialect.Instance.ConnectionPoolSize(connectionString), Is.EqualTo(poolSize));

    [TestCase("Server=db;Database=x;Max Pool Size=7", 7)]
    [TestCase("Server=db;Database=x", 100)]
    [TestCase("Server=db;Database=x;Pooling=false", null)]
    public void SqlServer(string connectionString, int? poolSize) =>
        Assert.That(SqlServerDialect.Instance.ConnectionPoolSize(connectionString), Is.EqualTo(poolSize));
}
