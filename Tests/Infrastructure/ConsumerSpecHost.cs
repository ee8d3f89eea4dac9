using ConcertBooking.Database;
using ConcertBooking.Messaging;
using ConcertBooking.Messaging.Inbox;
using ConcertBooking.Messaging.Outbox;
using MassTransit;
using MassTransit.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;

namespace ConcertBooking.Tests.Infrastructure;

/// <summary>
/// A service's consumers on MassTransit's in-memory test harness, with the real inbox filter, outbox and a real
/// PostgreSQL database of their own (never EF InMemory: the consumers rely on conditional UPDATEs and transactions).
/// </summary>
public sealed class ConsumerSpecHost<TDbContext, TPostgres> : IAsyncDisposable
    where TDbContext : DbContext
    where TPostgres : TDbContext
{
    private readonly ServiceProvider _provider;
    private readonly Dictionary<Guid, int> _deliveries = [];

    private ConsumerSpecHost(ServiceProvider provider) => _provider = provider;

    public ITestHarness Harness => _provider.GetRequiredService<ITestHarness>();

    public IServiceProvider Services => _provider;

    /// <param name="consumers">
    /// Adds the consumers, and what they need: the configurator is the service collection too (a test's EF Core
    /// interceptors, registered as <see cref="IInterceptor"/>, join the DbContext; a TimeProvider replaces the system's).
    /// </param>
    /// <param name="retries">The consumer retry policy; by default one short retry of each kind.</param>
    public static async Task<ConsumerSpecHost<TDbContext, TPostgres>> StartAsync(
        string name, Action<IBusRegistrationConfigurator> consumers, ConsumerOptions? retries = null)
    {
        var connectionString = PostgresDatabases.ConnectionString(PostgresDatabases.NewName(name));
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddDbContext<TDbContext, TPostgres>((provider, db) => db.UseNpgsql(connectionString).AddInterceptors(provider.GetServices<IInterceptor>()));
        services.AddScoped<IOutbox, EfOutbox<TDbContext>>();
        services.AddSingleton<IDatabaseDialect>(PostgresDialect.Instance);
        services.AddMassTransitTestHarness(bus =>
        {
            // The harness's idle and overall timeouts bound how long a missing delivery is waited for; a fixture's
            // tests share one harness, so the overall one must cover them all.
            bus.SetTestTimeouts(testTimeout: TimeSpan.FromMinutes(5), testInactivityTimeout: TimeSpan.FromSeconds(10));
            consumers(bus);
            // One short retry each (the pipeline needs at least one): a spec wants a failure soon, not after back-off.
            bus.AddInboxAndRetries<TDbContext>(retries ?? new ConsumerOptions
            {
                RetryLimit = 1, TransientRetryLimit = 1, TransientRetryMaxDelay = TimeSpan.FromMilliseconds(200),
            });
        });
        var provider = services.BuildServiceProvider(validateScopes: true);
        await using (var scope = provider.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<TDbContext>().Database.MigrateAsync();
        }

        var host = new ConsumerSpecHost<TDbContext, TPostgres>(provider);
        await host.Harness.Start();
        return host;
    }

    /// <summary>Publishes with a chosen MessageId (a redelivery reuses it) and waits until the consumers have handled it.</summary>
    public async Task DeliverAsync<TMessage>(TMessage message, Guid? messageId = null) where TMessage : class
    {
        var id = messageId ?? NewId.NextGuid();
        var expected = _deliveries[id] = _deliveries.GetValueOrDefault(id) + 1;
        await Harness.Bus.Publish(message, context => context.MessageId = id);
        // Take(expected) returns as soon as this delivery is recorded (a redelivery reuses the id, so count them);
        // it gives up only when the harness has been idle for its inactivity timeout.
        var consumed = Harness.Consumed.Select<TMessage>(m => m.Context.MessageId == id).Take(expected).ToList();
        Assert.That(consumed, Has.Count.EqualTo(expected), $"{typeof(TMessage).Name} {id} consumed");
        Assert.That(consumed[^1].Exception, Is.Null, $"{typeof(TMessage).Name} {id} failed");
    }

    /// <summary>
    /// Publishes and waits until the consumers gave up on the message after their retries: what the transport then
    /// moves to its error queue or dead-letter topic. Returns the exception it failed with.
    /// </summary>
    public async Task<Exception> DeliverFailingAsync<TMessage>(TMessage message, Guid? messageId = null) where TMessage : class
    {
        var id = messageId ?? NewId.NextGuid();
        await Harness.Bus.Publish(message, context => context.MessageId = id);
        // MassTransit publishes Fault<T> once the retries are spent, just before the transport sets the message aside.
        Assert.That(await Harness.Published.Any<Fault<TMessage>>(m => m.Context.Message.FaultedMessageId == id),
            Is.True, $"{typeof(TMessage).Name} {id} faulted after its retries");
        // First, not Last: the harness's enumerations wait for more until it has been idle for its inactivity timeout.
        var consumed = Harness.Consumed.Select<TMessage>(m => m.Context.MessageId == id && m.Exception is not null).First();
        return consumed.Exception!;
    }

    /// <summary>Publishes the same MessageId again and waits until the inbox drops it as a duplicate (its changes roll back).</summary>
    public async Task RedeliverAsync<TMessage>(TMessage message, Guid messageId) where TMessage : class
    {
        using var duplicates = MessagingProbes.Counter(_provider, "inbox.duplicates_dropped");
        await Harness.Bus.Publish(message, context => context.MessageId = messageId);
        await Eventually.Until(() => Task.FromResult(duplicates.Sum() >= 1), $"{typeof(TMessage).Name} {messageId} dropped as a duplicate");
    }

    public async Task<T> WithDbAsync<T>(Func<TDbContext, Task<T>> action)
    {
        await using var scope = _provider.CreateAsyncScope();
        return await action(scope.ServiceProvider.GetRequiredService<TDbContext>());
    }

    public async Task<T> WithScopeAsync<T>(Func<IServiceProvider, Task<T>> action)
    {
        await using var scope = _provider.CreateAsyncScope();
        return await action(scope.ServiceProvider);
    }

    public async Task WithDbAsync(Func<TDbContext, Task> action)
    {
        await using var scope = _provider.CreateAsyncScope();
        await action(scope.ServiceProvider.GetRequiredService<TDbContext>());
    }

    /// <summary>Whether a transaction in this host's database waits for another's lock.</summary>
    public Task<bool> AnyWaitingForALockAsync() => WithDbAsync(LockWaits.AnyAsync);

    public async Task<List<OutboxMessage>> OutboxAsync<TMessage>() =>
        await WithDbAsync(db => db.Set<OutboxMessage>().AsNoTracking()
            .Where(m => m.MessageType.StartsWith(typeof(TMessage).FullName + ","))
            .ToListAsync());

    public async ValueTask DisposeAsync()
    {
        await Harness.Stop();
        await _provider.DisposeAsync();
    }
}
