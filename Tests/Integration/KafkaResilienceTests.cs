using System.Text;
using ConcertBooking.ConcertService.Concerts;
using ConcertBooking.ConcertService.Data;
using ConcertBooking.Contracts;
using ConcertBooking.Messaging.Hosting;
using ConcertBooking.Messaging.Kafka;
using ConcertBooking.Messaging.Publishing;
using ConcertBooking.Testing;
using ConcertBooking.Tests.Infrastructure;
using ConcertBooking.UserReplica.Consumers;
using Confluent.Kafka;
using MassTransit;
using MassTransit.Mediator;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;

namespace ConcertBooking.Tests.Integration;

/// <summary>
/// The Kafka transport where a long-running deployment differs from a quiet test: a rebalance while partitions are
/// paused for back pressure, a producer that failed fatally, a dead-letter topic that refuses writes.
/// </summary>
[TestFixture]
[Category(TestCategories.Integration)]
[Category(TestCategories.Kafka)]
public sealed class KafkaResilienceTests
{
    [Test]
    public async Task A_partition_paused_for_back_pressure_keeps_flowing_after_a_second_instance_joins()
    {
        const int users = 240;
        var logs = new FakeLogCollector();
        await using var system = await ConcertBookingSystem.StartAsync(new SystemOptions
        {
            Transport = TestTransport.Kafka,
            // Two buffered records pause a partition, so every partition with a backlog is paused when the group rebalances.
            Settings = service => service == "concert" ? [new("Messaging:Kafka:MaxBufferedPerPartition", "2")] : [],
            TestServices = service => service == "concert"
                ? services => services.AddSingleton<ILoggerProvider>(new FakeLoggerProvider(logs))
                : null,
        });
        var slow = new SlowUserCreated(TimeSpan.FromMilliseconds(200));
        using var observer = system.Concert.Services.GetRequiredService<IMediator>().ConnectConsumeMessageObserver(slow);
        await system.Users.AddUserCreatedAsync(users, "Paused");
        await Eventually.Until(() => Task.FromResult(slow.Seen), seen => seen >= 8, "the first instance to work through its backlog");

        await using var second = system.Concert.AnotherInstance(
            [new("Messaging:Outbox:RelayEnabled", "false"), new("Messaging:Kafka:GroupInstanceId", "concert-second-instance")]);
        _ = second.Services;
        TestContext.Out.WriteLine($"Second instance joined after the first handled {slow.Seen} records");

        await Eventually.Until(() => ReplicaCountAsync(system.Concert.Services), count => count == users,
            $"all {users} users in ConcertService's replica (no partition left paused)", TimeSpan.FromSeconds(120));
        // Lifting a pause is no error, on an assignment or a revoke: librdkafka refuses it for a partition not assigned yet.
        var pauseErrors = logs.GetSnapshot().Where(r => r.Exception is TopicPartitionException).Select(r => r.Message).ToList();
        Assert.That(pauseErrors, Is.Empty, "errors logged while pausing or resuming partitions");
    }

    /// <summary>
    /// librdkafka keeps an application's pause of a partition through its revoke and its next assignment, while the member
    /// forgets its pauses as the partition leaves: a partition paused for back pressure when the group rebalances must
    /// flow again when it is assigned back. Deterministic: the partition's worker is held at the gate, with two records
    /// buffered behind it (which pauses it), until the revoke has reached it.
    /// </summary>
    [Test]
    public async Task A_partition_paused_for_back_pressure_when_the_group_rebalances_flows_again_once_assigned_back()
    {
        var gate = new ConsumerGate(nameof(ProjectUserCreated));
        await using var system = await ConcertBookingSystem.StartAsync(new SystemOptions
        {
            Transport = TestTransport.Kafka,
            Settings = service => service == "concert" ? [new("Messaging:Kafka:MaxBufferedPerPartition", "2")] : [],
            TestServices = service => service == "concert" ? services => services.AddSingleton<IInterceptor>(gate) : null,
        });
        var kafka = system.Kafka!;
        var topic = kafka.Topic(SystemTopology.UserStream);
        await kafka.WaitForTopicsAsync(SystemTopology.UserStream);
        var buffered = system.Concert.Services.GetRequiredService<KafkaConsumerState>();
        var users = Enumerable.Range(0, 4)
            .Select(i => new UserCreated(Guid.CreateVersion7(), $"Paused {i}", UserApiClient.UniqueEmail("paused"), 1, DateTimeOffset.UtcNow))
            .ToList();

        gate.Arm();
        // The held record goes on once the revoke has reached it (its token cancelled after the grace period), so that the
        // pause is still there when the partition leaves; and at the latest as the system stops, whatever failed before.
        _ = gate.HeldCancelled.ContinueWith(_ => gate.Open(), TaskScheduler.Default);
        await kafka.ProduceMessageAsync(topic, 0, users[0].UserId.ToString(), users[0]);
        await gate.Reached.WaitAsync(Eventually.DefaultTimeout);
        foreach (var user in users.Skip(1))
        {
            await kafka.ProduceMessageAsync(topic, 0, user.UserId.ToString(), user);
        }

        await Eventually.Until(() => Task.FromResult(buffered.Buffered), count => count >= 2, "the partition paused: two records buffered behind the held one");

        // Another member joins the group and leaves again: every partition is revoked while this one is paused, and
        // assigned again.
        using (var joiner = new ConsumerBuilder<Ignore, Ignore>(new ConsumerConfig
        {
            BootstrapServers = kafka.BootstrapServers,
            GroupId = kafka.TopicPrefix + "concert",
            EnableAutoCommit = false,
            // As the services' own (the mock coordinator waits out a joining member's longer session otherwise).
            SessionTimeoutMs = (int)kafka.SessionTimeout.TotalMilliseconds,
            HeartbeatIntervalMs = 500,
        }).Build())
        {
            joiner.Subscribe(topic);
            var deadline = DateTime.UtcNow + Eventually.DefaultTimeout;
            while (joiner.Assignment.Count == 0 && DateTime.UtcNow < deadline)
            {
                joiner.Consume(TimeSpan.FromMilliseconds(100));
            }

            Assert.That(joiner.Assignment, Is.Not.Empty, "the joining member got a share of the partitions");
            joiner.Close();
        }

        await Eventually.Until(() => ReplicaCountAsync(system.Concert.Services), count => count == users.Count,
            $"all {users.Count} users in ConcertService's replica, the paused partition flowing again");
    }

    [Test]
    public async Task A_producer_that_failed_fatally_is_replaced_and_the_pending_rows_go_out_on_the_new_one()
    {
        await using var system = await ConcertBookingSystem.StartAsync(new SystemOptions { Transport = TestTransport.Kafka });
        using var users = system.Users.CreateClient();
        var before = await users.SignUpAsync("Before the fatal error");
        await system.AllReplicasReachAsync(before.Id, version: 1);

        var producer = system.Users.Services.GetRequiredService<KafkaProducerHost>();
        KafkaClientFaults.RaiseFatalError(producer.Producer.Handle, ErrorCode.OutOfOrderSequenceNumber, "injected by the test");
        TestContext.Out.WriteLine("Injected: UserService's producer failed fatally");
        var after = await users.SignUpAsync("After the fatal error");

        await system.AllReplicasReachAsync(after.Id, version: 1, TimeSpan.FromSeconds(60));
    }

    [Test]
    public async Task A_dead_letter_write_that_keeps_failing_backs_off_shows_in_health_and_metrics_and_loses_nothing()
    {
        if (TestEnvironment.KafkaBootstrapServers is not null)
        {
            Assert.Ignore("Needs fault injection, which only librdkafka's mock cluster offers; KAFKA_BOOTSTRAP_SERVERS points at a real cluster.");
        }

        // Only ConcertService consumes, and it seeds no concerts (which it would announce as it starts), so that the
        // produce errors pushed below reach its dead-letter writes and no one else's.
        await using var system = await ConcertBookingSystem.StartAsync(new SystemOptions
        {
            Transport = TestTransport.Kafka,
            StartLater = _ => true,
            Settings = service => service == "concert" ? [new("Messaging:Kafka:DeadLetterRetryDelay", "00:00:00.100")] : [],
            TestServices = service => service == "concert"
                ? services => services.PostConfigure<ConcertCatalogOptions>(catalog => catalog.Demo.Clear())
                : null,
        });
        var kafka = system.Kafka!;
        var topic = kafka.Topic(SystemTopology.UserStream);
        var poisonId = Guid.NewGuid();
        var behind = new UserCreated(Guid.CreateVersion7(), "Behind the poison", UserApiClient.UniqueEmail("behind"), 1, DateTimeOffset.UtcNow);
        await kafka.ProduceRawAsync(topic, 0, "poison", "{ not json"u8.ToArray(), new Dictionary<string, string>
        {
            [KafkaHeaders.MessageId] = poisonId.ToString(),
            [KafkaHeaders.MessageType] = MessageTypeNames.Of(typeof(UserCreated)),
        });
        await kafka.ProduceRawAsync(topic, 0, behind.UserId.ToString(),
            Encoding.UTF8.GetBytes(System.Text.Json.JsonSerializer.Serialize(behind, MessageSerialization.Options)),
            new Dictionary<string, string>
            {
                [KafkaHeaders.MessageId] = Guid.NewGuid().ToString(),
                [KafkaHeaders.MessageType] = MessageTypeNames.Of(typeof(UserCreated)),
            });
        kafka.Mock!.PushRequestErrors(KafkaMockCluster.ProduceApi, [.. Enumerable.Repeat(ErrorCode.TopicAuthorizationFailed, 6)]);
        TestContext.Out.WriteLine("Injected: the next 6 produce requests fail");

        using var concert = system.Concert.CreateClient();
        using var failures = MessagingProbes.Counter(system.Concert.Services, "kafka.dead_letter.write_failures");
        var unhealthy = await Eventually.Until(() => HealthEndpointTests.HealthAsync(concert, "/health"),
            h => HealthEndpointTests.CheckStatus(h.Body, "kafka-dead-letters") == "Unhealthy", "/health to report the failing dead-letter write");
        TestContext.Out.WriteLine($"While failing: {unhealthy.Body["checks"]!["kafka-dead-letters"]!.ToJsonString()}");
        Assert.That((await concert.GetAsync("/health/ready")).StatusCode, Is.EqualTo(System.Net.HttpStatusCode.OK));

        await Eventually.Until(() => ReplicaCountAsync(system.Concert.Services), count => count == 1,
            "the record behind the poison, once its dead letter is written");
        var health = await Eventually.Until(() => HealthEndpointTests.HealthAsync(concert, "/health"),
            h => HealthEndpointTests.CheckStatus(h.Body, "kafka-dead-letters") == "Healthy", "the dead-letter check healthy again");
        var deadLetters = kafka.ReadTopic(topic + ".dlt", records => records.Count > 0, TimeSpan.FromSeconds(10));
        TestContext.Out.WriteLine($"Verified: {failures.Sum()} failed dead-letter writes, then written; {health.Body["checks"]!["kafka-dead-letters"]!.ToJsonString()}");
        Assert.Multiple(() =>
        {
            Assert.That(failures.Sum(), Is.GreaterThan(0));
            Assert.That(deadLetters.Select(r => Encoding.UTF8.GetString(r.Message.Headers.GetLastBytes(KafkaHeaders.MessageId))), Has.Member(poisonId.ToString()));
        });
    }

    private static async Task<int> ReplicaCountAsync(IServiceProvider services)
    {
        await using var scope = services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<ConcertDbContext>().Users.CountAsync();
    }

    /// <summary>Makes each UserCreated take a while in the instance it is connected to, so that its partitions build a backlog.</summary>
    private sealed class SlowUserCreated(TimeSpan delay) : IConsumeMessageObserver<UserCreated>
    {
        private int _seen;

        public int Seen => Volatile.Read(ref _seen);

        public async Task PreConsume(ConsumeContext<UserCreated> context)
        {
            Interlocked.Increment(ref _seen);
            await Task.Delay(delay);
        }

        public Task PostConsume(ConsumeContext<UserCreated> context) => Task.CompletedTask;

        public Task ConsumeFault(ConsumeContext<UserCreated> context, Exception exception) => Task.CompletedTask;
    }
}
