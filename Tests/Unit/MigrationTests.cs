using ConcertBooking.ConcertService.Data;
using ConcertBooking.ConcertService.Reservations;
using ConcertBooking.Database;
using ConcertBooking.Messaging;
using ConcertBooking.Messaging.Outbox;
using ConcertBooking.PaymentService.Data;
using ConcertBooking.TokenService.Data;
using ConcertBooking.UserService.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace ConcertBooking.Tests.Unit;

/// <summary>
/// Both providers' migrations, offline (no SQL Server here): each is current with its model and scripts to SQL,
/// as `dotnet ef migrations script` does; and the relay's claim and the any-seat hold use each provider's skip-locked form.
/// </summary>
[TestFixture]
[Category(TestCategories.Unit)]
public sealed class MigrationTests
{
    public static IEnumerable<TestCaseData> Contexts()
    {
        yield return Case<PostgresUserDesignTimeFactory, PostgresUserDbContext>("users");
        yield return Case<SqlServerUserDesignTimeFactory, SqlServerUserDbContext>("users");
        yield return Case<PostgresConcertDesignTimeFactory, PostgresConcertDbContext>("concert");
        yield return Case<SqlServerConcertDesignTimeFactory, SqlServerConcertDbContext>("concert");
        yield return Case<PostgresPaymentDesignTimeFactory, PostgresPaymentDbContext>("payment");
        yield return Case<SqlServerPaymentDesignTimeFactory, SqlServerPaymentDbContext>("payment");
        yield return Case<PostgresTokenDesignTimeFactory, PostgresTokenDbContext>("token");
        yield return Case<SqlServerTokenDesignTimeFactory, SqlServerTokenDbContext>("token");
    }

    private static TestCaseData Case<TFactory, TContext>(string schema)
        where TFactory : IDesignTimeDbContextFactory<TContext>, new()
        where TContext : DbContext =>
        new TestCaseData(new Func<DbContext>(() => new TFactory().CreateDbContext([])), schema).SetArgDisplayNames(typeof(TContext).Name);

    [TestCaseSource(nameof(Contexts))]
    public void Migrations_are_current_with_the_model(Func<DbContext> create, string schema)
    {
        using var db = create();

        Assert.That(db.Database.HasPendingModelChanges(), Is.False,
            $"{db.GetType().Name}'s model changed without a migration: run dotnet ef migrations add for both providers");
    }

    [TestCaseSource(nameof(Contexts))]
    public void Migrations_script_offline_into_the_service_schema(Func<DbContext> create, string schema)
    {
        using var db = create();

        var script = db.GetService<IMigrator>().GenerateScript(options: MigrationsSqlGenerationOptions.Idempotent);

        Assert.That(db.Database.GetMigrations(), Is.Not.Empty);
        Assert.That(script, Does.Contain("OutboxMessages").And.Contain("InboxMessages").And.Contain("Users"));
        Assert.That(script, Does.Contain(schema));
    }

    /// <summary>
    /// PostgreSQL compares text exactly; SQL Server by the database's collation, case-insensitive by default. An
    /// idempotency key is the client's exact string on both, in the unique index and in the lookups alike.
    /// </summary>
    [Test]
    public void On_SQL_Server_idempotency_keys_compare_exactly_as_on_PostgreSQL()
    {
        using var db = new SqlServerPaymentDesignTimeFactory().CreateDbContext([]);

        var script = db.GetService<IMigrator>().GenerateScript(options: MigrationsSqlGenerationOptions.Idempotent);

        // SQL Server refuses to alter a column an index depends on: the unique index is dropped and built again around it.
        Assert.That(script, Does.Match(
                @"DROP INDEX \[IX_Payments_IdempotencyKey\][^;]*;(?:(?!CREATE UNIQUE INDEX)[\s\S])*"
                + @"ALTER COLUMN \[IdempotencyKey\] nvarchar\(100\) COLLATE Latin1_General_100_BIN2 NOT NULL;\s*"
                + @"CREATE UNIQUE INDEX \[IX_Payments_IdempotencyKey\]"),
            "the column altered to a binary collation (case- and accent-sensitive), its unique index rebuilt");
    }

    [TestCaseSource(nameof(Contexts))]
    public void The_relay_claims_with_locks_that_other_relays_skip(Func<DbContext> create, string schema)
    {
        using var db = create();

        IDatabaseDialect dialect = db.Database.IsNpgsql() ? PostgresDialect.Instance : SqlServerDialect.Instance;
        var sql = OutboxClaim.BuildSql(db, dialect, batchSize: 50);

        Assert.That(sql, db.Database.IsNpgsql()
            ? Does.Contain("FOR UPDATE OF o SKIP LOCKED").And.Contain("LIMIT 50").And.Contain($"{schema}.\"OutboxMessages\"")
            : Does.Contain("WITH (UPDLOCK, ROWLOCK, READPAST)").And.Contain("TOP (50)").And.Contain($"[{schema}].[OutboxMessages]"));
    }

    [TestCase(true)]
    [TestCase(false)]
    public void Any_free_seat_is_claimed_with_a_lock_that_other_holds_skip(bool postgres)
    {
        using ConcertDbContext db = postgres
            ? new PostgresConcertDesignTimeFactory().CreateDbContext([])
            : new SqlServerConcertDesignTimeFactory().CreateDbContext([]);

        var sql = HoldSeat.FirstFreeSeatSql(db, postgres ? PostgresDialect.Instance : SqlServerDialect.Instance);

        Assert.That(sql, postgres
            ? Does.Contain("FOR UPDATE OF o SKIP LOCKED").And.Contain("LIMIT 1").And.Contain("concert.\"Seats\"").And.Contain("ORDER BY o.\"Label\"")
            : Does.Contain("WITH (UPDLOCK, ROWLOCK, READPAST)").And.Contain("TOP (1)").And.Contain("[concert].[Seats]").And.Contain("ORDER BY o.[Label]"));
    }
}
