using System.Data.Common;
using System.Text.Json.Nodes;
using ConcertBooking.Messaging;
using ConcertBooking.Messaging.Operations;
using ConcertBooking.Messaging.Outbox;
using ConcertBooking.Tests.Infrastructure;
using ConcertBooking.UserService.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace ConcertBooking.Tests.Integration;

/// <summary>
/// The outbox's status (status page, /health, the gauges) is read every few seconds, so it must cost the same at ten
/// rows and ten million: capped counts and index-backed lookups. The relay's claim must cost the same whatever the
/// backlog, even when the table's statistics were taken while it had none, as they usually were. Measured as
/// PostgreSQL's own count of the pages each statement touched (EXPLAIN ANALYZE BUFFERS of the very statements run), not as time.
/// </summary>
[TestFixture]
[Category(TestCategories.Integration)]
public sealed class OutboxStatusCostTests
{
    [Test]
    public async Task Reading_the_outbox_status_touches_no_more_pages_when_the_table_doubles()
    {
        var explain = new ExplainStatements();
        await using var system = await ConcertBookingSystem.StartAsync(new SystemOptions
        {
            StartLater = _ => true,
            Settings = service => service == "users" ? [new("Messaging:Outbox:RelayEnabled", "false")] : [],
            TestServices = service => service == "users" ? services => services.AddSingleton<IInterceptor>(explain) : null,
        });
        var reader = system.Users.Services.GetRequiredService<IOutboxStatusReader>();

        await AddRowsAsync(system, dispatched: 45_000, pending: 15_000);
        var (before, status) = await explain.PagesAsync(() => reader.ReadAsync(CancellationToken.None));
        await AddRowsAsync(system, dispatched: 45_000, pending: 15_000);
        var (after, _) = await explain.PagesAsync(() => reader.ReadAsync(CancellationToken.None));

        TestContext.Out.WriteLine($"Pages per status read: {before} at 60,000 rows, {after} at 120,000 rows; status at 60,000: {status}");
        Assert.That(after, Is.LessThanOrEqualTo((before * 1.25) + 30), "the status read's cost grew with the table");
    }

    [Test]
    public async Task Claiming_a_batch_touches_no_more_pages_when_a_backlog_doubles_on_statistics_taken_before_it()
    {
        var explain = new ExplainStatements();
        await using var system = await ConcertBookingSystem.StartAsync(new SystemOptions
        {
            StartLater = _ => true,
            Settings = service => service == "users" ? [new("Messaging:Outbox:RelayEnabled", "false")] : [],
            TestServices = service => service == "users" ? services => services.AddSingleton<IInterceptor>(explain) : null,
        });

        // Only the test's analyses: autovacuum must not analyze the backlog in between.
        await system.Users.WithScopeAsync(services => services.GetRequiredService<UserDbContext>().Database
            .ExecuteSqlRawAsync("""ALTER TABLE users."OutboxMessages" SET (autovacuum_enabled = false)"""));
        // The steady state, analyzed: everything dispatched. Then a broker outage's backlog, which no analysis has seen
        // yet: PostgreSQL believes almost nothing is pending, and may choose a plan that reads the whole backlog per row.
        await AddRowsAsync(system, dispatched: 5_000, pending: 0);
        await AddRowsAsync(system, dispatched: 0, pending: 5_000, analyze: false);
        var before = await ClaimPagesAsync(system, explain);
        await AddRowsAsync(system, dispatched: 0, pending: 5_000, analyze: false);
        var after = await ClaimPagesAsync(system, explain);

        TestContext.Out.WriteLine($"Pages per claim of 200: {before} with 5,000 pending, {after} with 10,000 pending");
        Assert.That(after, Is.LessThanOrEqualTo((before * 1.25) + 30), "the claim's cost grew with the backlog");
    }

    private static Task<long> ClaimPagesAsync(ConcertBookingSystem system, ExplainStatements explain) =>
        system.Users.WithScopeAsync(async services =>
        {
            var db = services.GetRequiredService<UserDbContext>();
            await using var transaction = await db.Database.BeginTransactionAsync();
            var (pages, claimed) = await explain.PagesAsync(() => OutboxClaim.ClaimAsync(
                db, services.GetRequiredService<IDatabaseDialect>(), batchSize: 200, DateTimeOffset.UtcNow, CancellationToken.None));
            Assert.That(claimed, Has.Count.EqualTo(200));
            await transaction.RollbackAsync();
            return pages;
        });

    private static async Task AddRowsAsync(ConcertBookingSystem system, int dispatched, int pending, bool analyze = true) =>
        await system.Users.WithScopeAsync(async services =>
        {
            var db = services.GetRequiredService<UserDbContext>();
            // Oldest first, as in a real outbox: dispatched rows kept for the retention, then the pending backlog.
            await db.Database.ExecuteSqlAsync($"""
                INSERT INTO users."OutboxMessages" ("MessageId", "MessageType", "Body", "PartitionKey", "CreatedAt", "NextAttemptAt", "Attempts", "DispatchedAt")
                SELECT gen_random_uuid(), 'ConcertBooking.Contracts.UserCreated, Contracts', 'null', gen_random_uuid()::text, now(), now(),
                       CASE WHEN g <= {dispatched} THEN 1 ELSE 0 END, CASE WHEN g <= {dispatched} THEN now() END
                FROM generate_series(1, {dispatched + pending}) AS g
                """);
            if (analyze)
            {
                await db.Database.ExecuteSqlRawAsync("""ANALYZE users."OutboxMessages" """);
            }
        });

    /// <summary>While armed, runs EXPLAIN (ANALYZE, BUFFERS) of every query first, and adds up the pages each touched.</summary>
    private sealed class ExplainStatements : DbCommandInterceptor
    {
        private readonly AsyncLocal<List<long>?> _pages = new();

        public async Task<(long Pages, T Result)> PagesAsync<T>(Func<Task<T>> action)
        {
            var pages = new List<long>();
            _pages.Value = pages;
            try
            {
                var result = await action();
                Assert.That(pages, Is.Not.Empty, "no statement was explained");
                return (pages.Sum(), result);
            }
            finally
            {
                _pages.Value = null;
            }
        }

        public override async ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(
            DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default)
        {
            if (_pages.Value is { } pages)
            {
                await using var explain = command.Connection!.CreateCommand();
                explain.Transaction = command.Transaction;
                explain.CommandText = "EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) " + command.CommandText;
                foreach (var parameter in command.Parameters.Cast<NpgsqlParameter>())
                {
                    explain.Parameters.Add(parameter.Clone());
                }

                var plan = JsonNode.Parse((string)(await explain.ExecuteScalarAsync(cancellationToken))!)![0]!["Plan"]!;
                var touched = plan["Shared Hit Blocks"]!.GetValue<long>() + plan["Shared Read Blocks"]!.GetValue<long>();
                TestContext.Out.WriteLine($"{touched,6} pages: {command.CommandText.ReplaceLineEndings(" ")}");
                pages.Add(touched);
            }

            return result;
        }
    }
}
