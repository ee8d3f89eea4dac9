using System.Reflection;
using ConcertBooking.Database;
using Microsoft.Data.SqlClient;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace ConcertBooking.Tests.Unit;

/// <summary>
/// Which failures each provider's dialect retries. SQL Server's exception never says it is transient by itself
/// (<c>DbException.IsTransient</c> is always false there), so a failover would dead-letter every consumer unless the
/// error numbers are read.
/// </summary>
[TestFixture]
[Category(TestCategories.Unit)]
public sealed class DatabaseDialectTests
{
    [TestCase(-2, TestName = "SQL Server: a command timeout is transient")]
    [TestCase(1205, TestName = "SQL Server: a deadlock victim is transient")]
    [TestCase(4060, TestName = "SQL Server: a database that cannot be opened yet (failover) is transient")]
    [TestCase(40613, TestName = "SQL Server: a database not currently available is transient")]
    [TestCase(10054, TestName = "SQL Server: a connection reset by the server is transient")]
    [TestCase(233, TestName = "SQL Server: a connection refused before login is transient")]
    [TestCase(976, TestName = "SQL Server: an availability-group replica not accessible is transient")]
    public void SqlServer_failures_of_a_failover_are_transient(int number)
    {
        var failure = SqlServerError(number);

        Assert.Multiple(() =>
        {
            Assert.That(failure.IsTransient, Is.False, "SqlClient itself never says so");
            Assert.That(SqlServerDialect.Instance.IsTransient(failure), Is.True);
            Assert.That(SqlServerDialect.Instance.IsTransient(new DbUpdateException("save failed", failure)), Is.True, "inside EF's wrapper");
        });
    }

    [TestCase(2627, TestName = "SQL Server: a unique violation is permanent")]
    [TestCase(547, TestName = "SQL Server: a foreign-key violation is permanent")]
    [TestCase(208, TestName = "SQL Server: an unknown table is permanent")]
    public void SqlServer_failures_of_the_request_itself_are_permanent(int number) =>
        Assert.That(SqlServerDialect.Instance.IsTransient(SqlServerError(number)), Is.False);

    [Test]
    public void SqlServer_a_severity_that_closes_the_connection_is_transient_whatever_the_number() =>
        Assert.That(SqlServerDialect.Instance.IsTransient(SqlServerError(50000, severity: 20)), Is.True);

    [Test]
    public void SqlServer_a_connection_pool_that_stays_exhausted_is_transient() =>
        Assert.That(SqlServerDialect.Instance.IsTransient(new InvalidOperationException(
            "Timeout expired.  The timeout period elapsed prior to obtaining a connection from the pool.  This may have occurred because all pooled connections were in use and max pool size was reached.")),
            Is.True);

    [Test]
    public void SqlServer_a_unique_violation_is_recognised_by_number_and_constraint_name()
    {
        var violation = new DbUpdateException("save failed", SqlServerError(2601,
            message: "Cannot insert duplicate key row in object 'users.Users' with unique index 'IX_Users_NormalizedEmail'."));

        Assert.Multiple(() =>
        {
            Assert.That(SqlServerDialect.Instance.IsUniqueViolation(violation), Is.True);
            Assert.That(SqlServerDialect.Instance.IsUniqueViolation(violation, "IX_Users_NormalizedEmail"), Is.True);
            Assert.That(SqlServerDialect.Instance.IsUniqueViolation(violation, "PK_InboxMessages"), Is.False);
            Assert.That(violation.IsUniqueViolation(), Is.True, "the services' provider-neutral check");
        });
    }

    [TestCase("57P01", true, TestName = "PostgreSQL: an administrator shutdown (failover, restart) is transient")]
    [TestCase("57P03", true, TestName = "PostgreSQL: a server not accepting connections yet is transient")]
    [TestCase("53300", true, TestName = "PostgreSQL: too many connections is transient")]
    [TestCase("40P01", true, TestName = "PostgreSQL: a deadlock is transient")]
    [TestCase("23505", false, TestName = "PostgreSQL: a unique violation is permanent")]
    [TestCase("42P01", false, TestName = "PostgreSQL: an unknown table is permanent")]
    public void Postgres_failures_are_classified_by_state(string sqlState, bool transient) =>
        Assert.That(PostgresDialect.Instance.IsTransient(new DbUpdateException("save failed",
            new PostgresException("failed", "ERROR", "ERROR", sqlState))), Is.EqualTo(transient));

    [Test]
    public void Postgres_a_connection_pool_that_stays_exhausted_is_transient() =>
        Assert.That(PostgresDialect.Instance.IsTransient(
            new NpgsqlException("The connection pool has been exhausted", new TimeoutException())), Is.True);

    /// <summary>SqlClient builds its exceptions internally; the tests build one the same way, by reflection.</summary>
    private static SqlException SqlServerError(int number, byte severity = 16, string message = "simulated")
    {
        const BindingFlags Internal = BindingFlags.NonPublic | BindingFlags.Instance;
        var errorCtor = typeof(SqlError).GetConstructors(Internal).OrderByDescending(c => c.GetParameters().Length).First();
        var error = (SqlError)errorCtor.Invoke([.. errorCtor.GetParameters().Select(object? (p) => p.Name switch
        {
            "infoNumber" => number,
            "errorClass" => severity,
            "errorMessage" => message,
            _ when p.ParameterType == typeof(string) => "",
            _ when p.ParameterType == typeof(byte) => (byte)0,
            _ when p.ParameterType == typeof(int) => 0,
            _ when p.ParameterType == typeof(uint) => 0u,
            _ => null,
        })]);
        var errors = (SqlErrorCollection)typeof(SqlErrorCollection).GetConstructors(Internal)[0].Invoke([]);
        typeof(SqlErrorCollection).GetMethod("Add", Internal)!.Invoke(errors, [error]);
        var create = typeof(SqlException).GetMethod("CreateException", BindingFlags.NonPublic | BindingFlags.Static,
            [typeof(SqlErrorCollection), typeof(string)])!;
        return (SqlException)create.Invoke(null, [errors, "16.0.0"])!;
    }
}
