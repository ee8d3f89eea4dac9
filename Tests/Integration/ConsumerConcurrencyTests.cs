using System.Data.Common;
using ConcertBooking.PaymentService.Data;
using ConcertBooking.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;

namespace ConcertBooking.Tests.Integration;

/// <summary>
/// Every consumer needs a database connection for its transaction. PaymentService has seven receive endpoints of 16
/// concurrent messages each; with a pool of 20 connections they wait for each other until the pool's timeout fails
/// them. Handlers are bounded process-wide, below the pool, and a limit the pool cannot serve stops the service at start.
/// </summary>
[TestFixture]
[Category(TestCategories.Integration)]
public sealed class ConsumerConcurrencyTests
{
    [Test]
    public async Task A_consumer_limit_the_connection_pool_cannot_serve_stops_the_service_at_start()
    {
        await using var system = await ConcertBookingSystem.StartAsync(new SystemOptions
        {
            StartLater = service => service == "payment",
            Settings = service => service == "payment"
                ? [SmallPool(), new("Messaging:Consumers:MaxConcurrentHandlers", "4")]
                : [],
        });

        var failure = Assert.Catch(() => _ = system.Payment.Services, "PaymentService started with 4 handlers on 4 connections");
        TestContext.Out.WriteLine($"Verified: start refused: {failure!.Message}");
        Assert.That(failure.ToString(), Does.Contain("Messaging:Consumers:MaxConcurrentHandlers").And.Contain("pool"));
    }

    [Test]
    public async Task Consumer_and_action_bounds_that_together_take_the_whole_pool_stop_the_service_at_start()
    {
        // Two turns for actions fit a pool of 4 alone; with the consumers' two they would leave the relay nothing.
        await using var system = await ConcertBookingSystem.StartAsync(new SystemOptions
        {
            StartLater = service => service == "payment",
            Settings = service => service == "payment" ? [SmallPool(), new("Http:MaxConcurrentActions", "2")] : [],
        });

        var failure = Assert.Catch(() => _ = system.Payment.Services, "PaymentService started with 2 + 2 holders on 4 connections");
        TestContext.Out.WriteLine($"Verified: start refused: {failure!.Message}");
        Assert.That(failure.ToString(), Does.Contain("Http:MaxConcurrentActions (2)").And.Contain("Messaging:Consumers:MaxConcurrentHandlers (2)"));
    }

    [Test]
    public async Task A_burst_to_a_service_with_a_small_pool_never_times_out_waiting_for_a_connection()
    {
        const int users = 150;
        var connections = new ConnectionFailures();
        await using var system = await ConcertBookingSystem.StartAsync(new SystemOptions
        {
            Settings = service => service switch
            {
                "payment" => [SmallPool()],
                "users" => [new("Messaging:Outbox:RelayEnabled", "false")],
                _ => [],
            },
            // Each commit takes a while, so that consumers hold their connections long enough to queue for the pool.
            TestServices = service => service == "payment"
                ? services =>
                {
                    services.AddSingleton<IInterceptor>(new SlowCommits(TimeSpan.FromMilliseconds(100)));
                    services.AddSingleton<IInterceptor>(connections);
                }
                : null,
        });
        await system.Users.AddUserCreatedAsync(users, "Burst");

        await using var relay = system.Users.AnotherInstance([new("Messaging:Outbox:RelayEnabled", "true")]);
        _ = relay.Services;
        await Eventually.Until(async () =>
        {
            await using var scope = system.Payment.Services.CreateAsyncScope();
            return await scope.ServiceProvider.GetRequiredService<PaymentDbContext>().Set<UserReplica.ReplicatedUser>().CountAsync();
        }, count => count == users, $"{users} users in PaymentService's replica", TimeSpan.FromSeconds(120));

        TestContext.Out.WriteLine($"Connection failures in PaymentService: {connections.Count} ({connections.First})");
        Assert.That(connections.Count, Is.Zero, "a consumer timed out waiting for a pooled connection");
    }

    /// <summary>PaymentService on a pool of 4 connections that fails a wait for a connection after 1 s.</summary>
    private static KeyValuePair<string, string?> SmallPool() =>
        new("ConnectionStrings:Database", PostgresDatabases.ConnectionString(PostgresDatabases.NewName("payment"), maxPoolSize: 4) + ";Timeout=1");

    private sealed class SlowCommits(TimeSpan delay) : DbTransactionInterceptor
    {
        public override async ValueTask<InterceptionResult> TransactionCommittingAsync(
            DbTransaction transaction, TransactionEventData eventData, InterceptionResult result, CancellationToken cancellationToken = default)
        {
            await Task.Delay(delay, cancellationToken);
            return result;
        }
    }

    private sealed class ConnectionFailures : DbConnectionInterceptor
    {
        private int _count;

        public int Count => Volatile.Read(ref _count);

        public string? First { get; private set; }

        public override Task ConnectionFailedAsync(DbConnection connection, ConnectionErrorEventData eventData, CancellationToken cancellationToken = default)
        {
            // Only waits for a pooled connection that timed out (Npgsql: "The connection pool has been exhausted ...").
            if (eventData.Exception.Message.Contains("pool", StringComparison.OrdinalIgnoreCase) && Interlocked.Increment(ref _count) == 1)
            {
                First = eventData.Exception.Message;
            }

            return Task.CompletedTask;
        }
    }
}
