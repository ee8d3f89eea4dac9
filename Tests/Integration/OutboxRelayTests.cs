using System.Collections.Concurrent;
using ConcertBooking.ConcertService.Data;
using ConcertBooking.Contracts;
using ConcertBooking.Messaging.Inbox;
using ConcertBooking.Messaging.Outbox;
using ConcertBooking.Messaging.Publishing;
using ConcertBooking.Messaging.RabbitMq;
using ConcertBooking.PaymentService.Data;
using ConcertBooking.Tests.Infrastructure;
using ConcertBooking.TokenService.Data;
using ConcertBooking.UserReplica.Consumers;
using ConcertBooking.UserService.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace ConcertBooking.Tests.Integration;

/// <summary>The relay's guarantees under failure: nothing lost while the broker is away, nothing applied twice.</summary>
[TestFixture]
[Category(TestCategories.Integration)]
public sealed class OutboxRelayTests
{
    [Test]
    public async Task A_signup_while_the_broker_is_unreachable_answers_201_and_its_event_arrives_once_the_broker_is_back()
    {
        await using var proxy = new TcpProxy(TestEnvironment.RabbitMqHost, TestEnvironment.RabbitMqPort);
        await using var system = await ConcertBookingSystem.StartAsync(new SystemOptions
        {
            RabbitMqPort = service => service == "users" ? proxy.Port : TestEnvironment.RabbitMqPort,
            Settings = service => service == "users"
                ? [new("Messaging:Outbox:PublishTimeout", "00:00:02")]
                : [],
        });
        using var users = system.Users.CreateClient();

        proxy.Cut();
        TestContext.Out.WriteLine("Injected: UserService's connection to RabbitMQ cut");
        var user = await users.SignUpAsync("Offline Olga");

        var pending = await Eventually.Until(
            () => MessagingProbes.OutboxAsync<UserDbContext>(system.Users.Services),
            rows => rows.Any(r => r.PartitionKey == user.Id.ToString() && r.Attempts >= 1 && r.DispatchedAt is null),
            "a failed publish attempt recorded on the outbox row");
        var row = pending.Single(r => r.PartitionKey == user.Id.ToString());
        TestContext.Out.WriteLine($"Verified: row pending after {row.Attempts} attempt(s), last error: {row.LastError}");
        Assert.That(row.LastError, Is.Not.Null.And.Not.Empty);

        proxy.Restore();
        TestContext.Out.WriteLine("Restored the connection");
        await system.AllReplicasReachAsync(user.Id, version: 1, timeout: TimeSpan.FromSeconds(60));
        foreach (var (name, services) in system.Replicas)
        {
            Assert.That(await InboxTotalAsync(name, services), Is.EqualTo(1), $"{name} handled the event once");
        }
    }

    [Test]
    public async Task A_commit_that_writes_outbox_rows_wakes_the_relay_without_waiting_for_its_poll()
    {
        await using var system = await ConcertBookingSystem.StartAsync(new SystemOptions
        {
            // Far longer than the wait below: only the commit's signal can wake the relay in time.
            Settings = service => service == "users" ? [new("Messaging:Outbox:PollInterval", "01:00:00")] : [],
        });
        using var users = system.Users.CreateClient();

        var user = await users.SignUpAsync("Prompt Petra");

        await system.AllReplicasReachAsync(user.Id, version: 1, timeout: TimeSpan.FromSeconds(30));
    }

    [Test]
    public async Task Two_relay_instances_over_1000_pending_rows_publish_each_row_exactly_once()
    {
        const int rows = 1000;
        await using var system = await ConcertBookingSystem.StartAsync(new SystemOptions
        {
            // The system's own UserService writes only; two other instances relay.
            Settings = service => service == "users" ? [new("Messaging:Outbox:RelayEnabled", "false")] : [],
        });
        using var concertDuplicates = MessagingProbes.Counter(system.Concert.Services, "inbox.duplicates_dropped");
        using var paymentDuplicates = MessagingProbes.Counter(system.Payment.Services, "inbox.duplicates_dropped");
        using var tokenDuplicates = MessagingProbes.Counter(system.Token.Services, "inbox.duplicates_dropped");

        await system.Users.WithScopeAsync(async services =>
        {
            var db = services.GetRequiredService<UserDbContext>();
            var outbox = services.GetRequiredService<IOutbox>();
            for (var i = 0; i < rows; i++)
            {
                var id = Guid.CreateVersion7();
                outbox.Add(new UserCreated(id, $"Bulk {i}", $"bulk{i}.{id:N}@example.com", 1, DateTimeOffset.UtcNow), id.ToString());
            }

            await db.SaveChangesAsync();
        });

        // Listening before the relays start: they publish from their first moment. Only they publish UserCreated here.
        using var published = new ProcessWideCounter("outbox.published", new("message_type", nameof(UserCreated)));
        var relayOn = new KeyValuePair<string, string?>[] { new("Messaging:Outbox:RelayEnabled", "true") };
        await using var relayA = system.Users.AnotherInstance(relayOn);
        await using var relayB = system.Users.AnotherInstance(relayOn);
        _ = (relayA.Services, relayB.Services); // a test server starts when first asked for its services
        TestContext.Out.WriteLine($"Started two relays over {rows} pending outbox rows");

        foreach (var (name, services) in system.Replicas)
        {
            await Eventually.Until(() => InboxTotalAsync(name, services), n => n == rows,
                $"{rows} inbox entries in {name}", TimeSpan.FromSeconds(90));
        }

        var outboxRows = await MessagingProbes.OutboxAsync<UserDbContext>(system.Users.Services);
        TestContext.Out.WriteLine($"Verified: the relays published {published.Sum} rows");
        Assert.Multiple(() =>
        {
            Assert.That(outboxRows, Has.Count.EqualTo(rows));
            Assert.That(outboxRows, Has.All.Matches<OutboxMessage>(r => r.DispatchedAt != null && r.Attempts == 1),
                "each row was published once and marked once");
            Assert.That(published.Sum, Is.EqualTo(rows), "broker-confirmed publishes");
            Assert.That(concertDuplicates.Sum() + paymentDuplicates.Sum() + tokenDuplicates.Sum(), Is.Zero,
                "no consumer received any message twice");
        });
    }

    [Test]
    public async Task Two_relays_publish_each_keys_events_one_at_a_time_in_order_even_when_one_waits_for_a_retry()
    {
        const int keys = 100, eventsPerKey = 5;
        var recorder = new PublishRecorder();
        await using var system = await ConcertBookingSystem.StartAsync(new SystemOptions
        {
            Settings = service => service == "users"
                ? [new("Messaging:Outbox:RelayEnabled", "false"), new("Messaging:Outbox:RetryBaseDelay", "00:00:00.050")]
                : [],
            TestServices = service => service == "users"
                ? services => services.Replace(ServiceDescriptor.Singleton<ITransportPublisher>(sp =>
                    recorder.Wrap(ActivatorUtilities.CreateInstance<RabbitMqPublisher>(sp))))
                : null,
        });

        // Each key's events are written one after another, so a batch could hold several of them.
        var expected = new Dictionary<string, List<Guid>>();
        await system.Users.WithScopeAsync(async services =>
        {
            var db = services.GetRequiredService<UserDbContext>();
            var outbox = services.GetRequiredService<IOutbox>();
            foreach (var id in Enumerable.Range(0, keys).Select(_ => Guid.CreateVersion7()))
            {
                var key = id.ToString();
                expected[key] = [];
                for (var version = 1; version <= eventsPerKey; version++)
                {
                    var messageId = version == 1
                        ? outbox.Add(new UserCreated(id, "Ordered v1", $"ordered.{id:N}@example.com", 1, DateTimeOffset.UtcNow), key)
                        : outbox.Add(new UserUpdated(id, $"Ordered v{version}", $"ordered.{id:N}@example.com", version, DateTimeOffset.UtcNow), key);
                    expected[key].Add(messageId);
                    if (version == 2)
                    {
                        recorder.FailFirstAttempt(messageId); // its key's later events must wait for its retry
                    }
                }
            }

            await db.SaveChangesAsync();
        });

        // Small batches of slow publishes, so that the second relay starts while the first is still busy.
        var relayOn = new KeyValuePair<string, string?>[] { new("Messaging:Outbox:RelayEnabled", "true"), new("Messaging:Outbox:BatchSize", "10") };
        await using var relayA = system.Users.AnotherInstance(relayOn);
        await using var relayB = system.Users.AnotherInstance(relayOn);
        using var publishedA = MessagingProbes.Counter(relayA.Services, "outbox.published"); // Services starts the host
        using var publishedB = MessagingProbes.Counter(relayB.Services, "outbox.published");
        TestContext.Out.WriteLine($"Started two relays over {keys} keys x {eventsPerKey} events; each key's 2nd event fails once");

        await Eventually.Until(() => MessagingProbes.OutboxAsync<UserDbContext>(system.Users.Services),
            rows => rows.All(r => r.DispatchedAt != null), "every outbox row dispatched", TimeSpan.FromSeconds(90));

        TestContext.Out.WriteLine($"Verified: relay A published {publishedA.Sum()}, relay B {publishedB.Sum()}; " +
            $"{recorder.Overlaps} overlapping publishes of one key");
        Assert.Multiple(() =>
        {
            Assert.That(Math.Min(publishedA.Sum(), publishedB.Sum()), Is.Positive, "both relays took part");
            Assert.That(recorder.Overlaps, Is.Zero, "a key's next event was published while its previous one was in flight");
            foreach (var (key, messageIds) in expected)
            {
                Assert.That(recorder.Confirmed.Where(c => c.Key == key).Select(c => c.MessageId), Is.EqualTo(messageIds),
                    $"key {key}: its events confirmed once each, in the order they were written");
            }
        });
    }

    [Test]
    public async Task A_relay_that_fails_after_publishing_but_before_marking_causes_a_redelivery_the_inbox_absorbs()
    {
        var failOnce = new PublishThenFailOnce();
        await using var system = await ConcertBookingSystem.StartAsync(new SystemOptions
        {
            TestServices = service => service == "users"
                ? services => services.Replace(ServiceDescriptor.Singleton<ITransportPublisher>(sp =>
                    failOnce.Wrap(ActivatorUtilities.CreateInstance<RabbitMqPublisher>(sp))))
                : null,
        });
        using var concertDuplicates = MessagingProbes.Counter(system.Concert.Services, "inbox.duplicates_dropped");
        using var users = system.Users.CreateClient();

        var user = await users.SignUpAsync("Twice Published");
        await system.AllReplicasReachAsync(user.Id, version: 1);
        await Eventually.Until(() => Task.FromResult(concertDuplicates.Sum()), n => n == 1,
            "the concert inbox to absorb the second publish");

        var row = (await MessagingProbes.OutboxAsync<UserDbContext>(system.Users.Services))
            .Single(r => r.PartitionKey == user.Id.ToString());
        TestContext.Out.WriteLine($"Injected: publish confirmed, then the relay failed before marking ({row.LastError})");
        Assert.Multiple(async () =>
        {
            Assert.That(row.Attempts, Is.EqualTo(2), "published, 'failed', published again");
            Assert.That(row.DispatchedAt, Is.Not.Null);
            Assert.That(await MessagingProbes.InboxEntriesAsync<ConcertDbContext>(system.Concert.Services, row.MessageId), Is.EqualTo(1));
            var replica = await ConcertBookingSystem.FindReplicaAsync(system.Concert.Services, user.Id);
            Assert.That(replica!.Version, Is.EqualTo(1));
        });
    }

    /// <summary>User events handled by a replica (TokenService also handles the concerts ConcertService announces).</summary>
    private static async Task<int> InboxTotalAsync(string name, IServiceProvider services)
    {
        string[] userConsumers = [nameof(ProjectUserCreated), nameof(ProjectUserUpdated), nameof(ProjectUserDeleted)];
        await using var scope = services.CreateAsyncScope();
        DbContext db = name switch
        {
            "concert" => scope.ServiceProvider.GetRequiredService<ConcertDbContext>(),
            "payment" => scope.ServiceProvider.GetRequiredService<PaymentDbContext>(),
            _ => scope.ServiceProvider.GetRequiredService<TokenDbContext>(),
        };
        return await db.Set<InboxMessage>().CountAsync(m => userConsumers.Contains(m.Consumer));
    }

    /// <summary>
    /// Records, across relay instances, the order in which each key's publishes were confirmed and whether two of a
    /// key's publishes were ever in flight at once; fails chosen messages' first attempt before they reach the broker.
    /// </summary>
    private sealed class PublishRecorder
    {
        private readonly ConcurrentDictionary<Guid, byte> _failOnce = new();
        private readonly ConcurrentDictionary<string, int> _inFlight = new();
        private int _overlaps;

        public ConcurrentQueue<(string Key, Guid MessageId)> Confirmed { get; } = new();

        public int Overlaps => Volatile.Read(ref _overlaps);

        public void FailFirstAttempt(Guid messageId) => _failOnce[messageId] = 0;

        public ITransportPublisher Wrap(ITransportPublisher inner) => new Publisher(inner, this);

        private sealed class Publisher(ITransportPublisher inner, PublishRecorder owner) : ITransportPublisher
        {
            public async Task PublishAsync(OutgoingMessage message, CancellationToken cancellationToken)
            {
                if (owner._inFlight.AddOrUpdate(message.PartitionKey, 1, (_, n) => n + 1) > 1)
                {
                    Interlocked.Increment(ref owner._overlaps);
                }

                try
                {
                    if (owner._failOnce.TryRemove(message.MessageId, out _))
                    {
                        throw new IOException("Injected: the broker refused this publish");
                    }

                    await Task.Delay(20, cancellationToken); // a slow broker, so that publishes of the two relays overlap
                    await inner.PublishAsync(message, cancellationToken);
                    owner.Confirmed.Enqueue((message.PartitionKey, message.MessageId));
                }
                finally
                {
                    owner._inFlight.AddOrUpdate(message.PartitionKey, 0, (_, n) => n - 1);
                }
            }
        }
    }

    /// <summary>Lets the broker confirm the first message, then reports a failure, as a relay crashing there would.</summary>
    private sealed class PublishThenFailOnce
    {
        private int _failed;

        public ITransportPublisher Wrap(ITransportPublisher inner) => new Publisher(inner, this);

        private sealed class Publisher(ITransportPublisher inner, PublishThenFailOnce owner) : ITransportPublisher
        {
            public async Task PublishAsync(OutgoingMessage message, CancellationToken cancellationToken)
            {
                await inner.PublishAsync(message, cancellationToken);
                if (Interlocked.Exchange(ref owner._failed, 1) == 0)
                {
                    throw new IOException("Injected: relay lost after the broker confirmed, before marking the row");
                }
            }
        }
    }
}
