using ConcertBooking.Messaging.Outbox;
using ConcertBooking.Messaging.Publishing;
using ConcertBooking.Messaging.RabbitMq;
using ConcertBooking.Tests.Infrastructure;
using ConcertBooking.UserService.Data;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace ConcertBooking.Tests.Integration;

/// <summary>
/// The relay and its housekeeping where a deployment differs from a test bench: hosts stopping, clocks that disagree,
/// a day of rows to clean up.
/// </summary>
[TestFixture]
[Category(TestCategories.Integration)]
public sealed class OutboxRelayHardeningTests
{
    [Test]
    public async Task The_relay_stops_before_the_bus_so_a_publish_under_way_at_shutdown_is_still_confirmed()
    {
        var publisher = new PublishesOnlyOnceStopped();
        await using var system = await ConcertBookingSystem.StartAsync(new SystemOptions
        {
            TestServices = service => service == "users"
                ? services => services.Replace(ServiceDescriptor.Singleton<ITransportPublisher>(sp =>
                    publisher.Wrap(ActivatorUtilities.CreateInstance<RabbitMqPublisher>(sp), sp.GetRequiredService<IBusControl>())))
                : null,
        });
        using var users = system.Users.CreateClient();
        var user = await users.SignUpAsync("Shutdown Sam");
        await publisher.Entered.Task.WaitAsync(TimeSpan.FromSeconds(30));

        // The relay holds the publish until it is told to stop, then hands it to the bus: the bus must still be running.
        await system.Users.DisposeAsync();
        var outcome = await publisher.Outcome.Task.WaitAsync(TimeSpan.FromSeconds(30));
        TestContext.Out.WriteLine($"When the relay was told to stop the bus was {publisher.BusAtStop}; the publish then: " +
            $"{outcome?.GetType().Name ?? "confirmed"} {outcome?.Message}");

        Assert.Multiple(() =>
        {
            Assert.That(publisher.BusAtStop, Is.EqualTo(BusHealthStatus.Healthy), "the bus had stopped before the relay was told to");
            Assert.That(outcome, Is.Null, "the publish under way was not confirmed");
        });
        await system.AllReplicasReachAsync(user.Id, version: 1);
    }

    [Test]
    public async Task An_event_written_by_an_instance_whose_clock_runs_ahead_is_published_at_once_by_another()
    {
        await using var system = await ConcertBookingSystem.StartAsync(new SystemOptions
        {
            TestServices = service => service == "users"
                ? services => services.Replace(ServiceDescriptor.Singleton<TimeProvider>(sp =>
                    sp.GetRequiredService<IConfiguration>()["Test:ClockAhead"] is { } ahead
                        ? new ClockAhead(TimeSpan.Parse(ahead, System.Globalization.CultureInfo.InvariantCulture))
                        : TimeProvider.System))
                : null,
        });
        // The writer's clock is an hour ahead and it runs no relay; the system's own UserService (a true clock) relays.
        await using var writer = system.Users.AnotherInstance([new("Test:ClockAhead", "01:00:00"), new("Messaging:Outbox:RelayEnabled", "false")]);
        using var client = writer.CreateClient();

        var user = await client.SignUpAsync("Ahead Ada");

        var row = (await MessagingProbes.OutboxAsync<UserDbContext>(system.Users.Services)).Single(r => r.PartitionKey == user.Id.ToString());
        TestContext.Out.WriteLine($"Row written at {row.CreatedAt:O} by the writer's clock, relay's clock {DateTimeOffset.UtcNow:O}");
        await system.AllReplicasReachAsync(user.Id, version: 1, timeout: TimeSpan.FromSeconds(20));
    }

    [Test]
    public async Task Cleanup_deletes_every_expired_row_in_one_run_even_when_they_fill_several_chunks()
    {
        const int expired = 2 * 1000 + 500; // BoundedDelete.ChunkSize is 1,000: three chunks
        await using var system = await ConcertBookingSystem.StartAsync(new SystemOptions
        {
            Settings = service => service == "users"
                ? [new("Messaging:Outbox:RelayEnabled", "false"), new("Messaging:Outbox:Retention", "365.00:00:00")]
                : [],
        });
        await system.Users.AddUserCreatedAsync(expired + 1, "Old");
        await system.Users.WithScopeAsync(async services =>
        {
            var rows = services.GetRequiredService<UserDbContext>().Set<OutboxMessage>().OrderBy(m => m.Sequence);
            // All but the newest were dispatched two days ago; the newest is still pending and must stay.
            var newest = await rows.Select(m => m.Sequence).LastAsync();
            await rows.Where(m => m.Sequence != newest).ExecuteUpdateAsync(set => set.SetProperty(m => m.DispatchedAt, DateTimeOffset.UtcNow.AddDays(-2)));
        });

        // A fresh instance with a one-day retention runs its cleanup once at start, and not again for an hour.
        await using var cleaner = system.Users.AnotherInstance(
            [new("Messaging:Outbox:Retention", "1.00:00:00"), new("Messaging:Outbox:CleanupInterval", "01:00:00")]);
        _ = cleaner.Services;

        var left = await Eventually.Until(() => MessagingProbes.OutboxAsync<UserDbContext>(system.Users.Services),
            rows => rows.Count == 1, $"the {expired} expired rows deleted by the first cleanup run");
        Assert.That(left.Single().DispatchedAt, Is.Null, "the pending row is kept");
    }

    /// <summary>A clock a fixed offset ahead of the real one, as on an instance whose time is off.</summary>
    private sealed class ClockAhead(TimeSpan offset) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => System.GetUtcNow() + offset;
    }

    /// <summary>
    /// Holds the first publish until the relay cancels it (its host is stopping), notes the bus's state at that moment,
    /// then publishes it anyway, on the real bus, without the cancelled token.
    /// </summary>
    private sealed class PublishesOnlyOnceStopped
    {
        private int _held;

        public BusHealthStatus? BusAtStop { get; private set; }

        public TaskCompletionSource Entered { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource<Exception?> Outcome { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public ITransportPublisher Wrap(ITransportPublisher inner, IBusControl bus) => new Publisher(inner, bus, this);

        private sealed class Publisher(ITransportPublisher inner, IBusControl bus, PublishesOnlyOnceStopped owner) : ITransportPublisher
        {
            public async Task PublishAsync(OutgoingMessage message, CancellationToken cancellationToken)
            {
                if (Interlocked.Exchange(ref owner._held, 1) == 1)
                {
                    await inner.PublishAsync(message, cancellationToken);
                    return;
                }

                owner.Entered.TrySetResult();
                await Task.Delay(Timeout.Infinite, cancellationToken).ContinueWith(_ => { }, TaskScheduler.Default);
                owner.BusAtStop = bus.CheckHealth().Status;
                try
                {
                    using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
                    await inner.PublishAsync(message, timeout.Token);
                    owner.Outcome.TrySetResult(null);
                }
                catch (Exception exception)
                {
                    owner.Outcome.TrySetResult(exception);
                    throw;
                }
            }
        }
    }
}
