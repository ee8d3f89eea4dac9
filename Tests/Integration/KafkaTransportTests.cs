using ConcertBooking.Messaging.Publishing;
using System.Collections.Concurrent;
using System.Net.Http.Json;
using System.Text;
using ConcertBooking.ConcertService.Data;
using ConcertBooking.Contracts;
using ConcertBooking.Messaging;
using ConcertBooking.Messaging.Hosting;
using ConcertBooking.Messaging.Inbox;
using ConcertBooking.Messaging.Kafka;
using ConcertBooking.Messaging.Operations;
using ConcertBooking.Tests.Infrastructure;
using ConcertBooking.UserService.Data;
using ConcertBooking.UserService.Users;
using Confluent.Kafka;
using Confluent.Kafka.Admin;
using MassTransit;
using MassTransit.Mediator;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;

namespace ConcertBooking.Tests.Integration;

/// <summary>
/// What only the Kafka transport has to prove: per-key order under concurrency, redelivery after a consumer died
/// uncommitted, dead letters for poison, broker outages and rebalances, all with the real services and PostgreSQL.
/// Runs on librdkafka's mock cluster, or on the cluster in KAFKA_BOOTSTRAP_SERVERS (fault injection needs the mock).
/// </summary>
[TestFixture]
[Category(TestCategories.Integration)]
[Category(TestCategories.Kafka)]
public sealed class KafkaTransportTests
{
    private const string UserStream = SystemTopology.UserStream;
    private readonly ConsumerGate _gate = new(nameof(ConcertBooking.UserReplica.Consumers.ProjectUserCreated));
    private readonly ConsumerFault _fault = new(nameof(ConcertBooking.UserReplica.Consumers.ProjectUserCreated));
    private ConcertBookingSystem _system = null!;
    private HttpClient _users = null!;

    [OneTimeSetUp]
    public async Task StartSystem()
    {
        _system = await ConcertBookingSystem.StartAsync(new SystemOptions
        {
            Transport = TestTransport.Kafka,
            // Passes everything through until a test arms it.
            TestServices = service => service == "concert"
                ? services => services.AddSingleton<IInterceptor>(_gate).AddSingleton<IInterceptor>(_fault)
                : null,
        });
        _users = _system.Users.CreateClient();
        await _system.Kafka!.WaitForTopicsAsync(UserStream, UserStream + ".dlt");
    }

    [OneTimeTearDown]
    public async Task StopSystem()
    {
        _users.Dispose();
        await _system.DisposeAsync();
    }

    /// <summary>
    /// Kafka orders records within a partition of one topic. On the user stream (the default) a user's whole sequence
    /// is in order; with a topic per event type (by configuration) a user's updates keep their order but a create and
    /// an update may be handled either way round, which the versioned projection still converges.
    /// </summary>
    [TestCase(true, TestName = "Events_of_one_user_on_one_topic_are_handled_in_order_while_users_run_concurrently (the user stream)")]
    [TestCase(false, TestName = "Events_of_one_user_on_one_topic_are_handled_in_order_while_users_run_concurrently (topic per type)")]
    public async Task Events_of_one_user_on_one_topic_are_handled_in_order_while_users_run_concurrently(bool oneTopic)
    {
        string[] userEvents = ["UserCreated", "UserUpdated", "UserDeleted"];
        await using var own = oneTopic
            ? null
            : await ConcertBookingSystem.StartAsync(new SystemOptions
            {
                Transport = TestTransport.Kafka,
                Settings = _ => userEvents.Select(type => new KeyValuePair<string, string?>($"Messaging:Kafka:Topics:{type}", KafkaTopics.Derive(type))),
                KafkaTopics = userEvents.Select(KafkaTopics.Derive).SelectMany(topic => new[] { topic, topic + ".dlt" }),
            });
        var system = own ?? _system;
        using var client = system.Users.CreateClient();
        var observer = new OrderObserver();
        var mediator = system.Concert.Services.GetRequiredService<IMediator>();
        using var created = mediator.ConnectConsumeMessageObserver<UserCreated>(observer);
        using var updated = mediator.ConnectConsumeMessageObserver<UserUpdated>(observer);

        const int renames = 5;
        var users = await Task.WhenAll(Enumerable.Range(0, 12).Select(async i =>
        {
            var user = await client.SignUpAndInAsync($"Order {i}");
            for (var n = 1; n <= renames; n++)
            {
                var response = await client.SendAsAsync(user, HttpMethod.Patch, $"/users/{user.Id}", new { name = $"Order {i} rename {n}" });
                response.EnsureSuccessStatusCode();
            }

            return user;
        }));

        foreach (var user in users)
        {
            await system.AllReplicasReachAsync(user.Id, version: 1 + renames);
            // A replica at the last version does not mean every event was handled: across topics an update can overtake
            // its create (it carries the whole state), and the create, refused by the row the update inserted, is retried.
            await Eventually.Until(() => Task.FromResult(observer.VersionsOf(user.Id).Distinct().Count() == 1 + renames),
                $"every version of {user.Id} handled");
        }

        Assert.Multiple(() =>
        {
            foreach (var user in users)
            {
                var seen = observer.VersionsOf(user.Id);
                // Across topics only updates share one.
                var onOneTopic = oneTopic ? seen : [.. seen.Where(v => v > 1)];
                Assert.That(RunsAhead(onOneTopic, first: oneTopic ? 1 : 2), Is.Null, $"versions of {user.Id} in handling order: {string.Join(", ", seen)}");
                Assert.That(seen.Distinct().Order(), Is.EqualTo(Enumerable.Range(1, 1 + renames).Select(v => (long)v)), $"every version of {user.Id} handled");
            }

            Assert.That(observer.MaxInFlight, Is.GreaterThan(1), "records of different partitions were handled at the same time");
        });
    }

    /// <summary>
    /// While a partition's worker is inside a transaction, the records that arrive behind it are handled next in one
    /// transaction, and in offset order: a batch that interleaves two users keeps each user's versions in order.
    /// </summary>
    [Test]
    public async Task Records_buffered_behind_a_transaction_are_handled_in_one_batch_in_order_per_key()
    {
        var kafka = _system.Kafka!;
        var topic = kafka.Topic(UserStream);
        var concert = _system.Concert.Services;
        var observer = new OrderObserver();
        var mediator = concert.GetRequiredService<IMediator>();
        using var created = mediator.ConnectConsumeMessageObserver<UserCreated>(observer);
        using var updated = mediator.ConnectConsumeMessageObserver<UserUpdated>(observer);
        using var batchSizes = MessagingProbes.Counter(concert, "inbox.batch.size");
        var buffered = concert.GetRequiredService<KafkaConsumerState>();
        var now = DateTimeOffset.UtcNow;

        _gate.Arm();
        var holder = Guid.CreateVersion7();
        await ProduceToFirstPartitionAsync(topic, holder, new UserCreated(holder, "Holder", $"{holder:N}@example.com", 1, now));
        await _gate.Reached.WaitAsync(Eventually.DefaultTimeout);

        var (a, b) = (Guid.CreateVersion7(), Guid.CreateVersion7());
        object[] interleaved =
        [
            new UserCreated(a, "A", $"{a:N}@example.com", 1, now), new UserCreated(b, "B", $"{b:N}@example.com", 1, now),
            new UserUpdated(a, "A2", $"{a:N}@example.com", 2, now), new UserUpdated(b, "B2", $"{b:N}@example.com", 2, now),
            new UserUpdated(a, "A3", $"{a:N}@example.com", 3, now),
        ];
        foreach (var message in interleaved)
        {
            await ProduceToFirstPartitionAsync(topic, message is UserCreated c ? c.UserId : ((UserUpdated)message).UserId, message);
        }

        await Eventually.Until(() => Task.FromResult(buffered.Buffered >= interleaved.Length), "the five records fetched behind the held one");
        _gate.Open();

        await _system.AllReplicasReachAsync(a, version: 3);
        await _system.AllReplicasReachAsync(b, version: 2);
        Assert.Multiple(() =>
        {
            Assert.That(batchSizes.GetMeasurementSnapshot().Select(m => m.Value), Does.Contain(interleaved.Length), "the five in one transaction");
            Assert.That(observer.VersionsOf(a), Is.EqualTo(new long[] { 1, 2, 3 }));
            Assert.That(observer.VersionsOf(b), Is.EqualTo(new long[] { 1, 2 }));
        });
    }

    /// <summary>
    /// A consumer's own call that was cancelled or timed out throws an <see cref="OperationCanceledException"/> that is
    /// not the partition being revoked: in a batch it is a failure like any other, so the batch is handled one by one,
    /// that record is dead-lettered, and the partition moves on (MassTransit's retry of it used to be taken for a
    /// duplicate within the batch, and its writes committed without its inbox row).
    /// </summary>
    [Test]
    public async Task A_consumer_call_cancelled_inside_a_batch_dead_letters_that_record_and_the_partition_moves_on()
    {
        var kafka = _system.Kafka!;
        var topic = kafka.Topic(UserStream);
        var buffered = _system.Concert.Services.GetRequiredService<KafkaConsumerState>();
        using var retriedAlone = MessagingProbes.Counter(_system.Concert.Services, "inbox.batch.retried_alone");
        var now = DateTimeOffset.UtcNow;

        _gate.Arm();
        var holder = Guid.CreateVersion7();
        await ProduceToFirstPartitionAsync(topic, holder, new UserCreated(holder, "Holder", $"{holder:N}@example.com", 1, now));
        await _gate.Reached.WaitAsync(Eventually.DefaultTimeout);

        var (before, cancelled, after) = (Guid.CreateVersion7(), Guid.CreateVersion7(), Guid.CreateVersion7());
        var cancelledMessage = Guid.NewGuid();
        _fault.FailMessage(cancelledMessage, () => new TaskCanceledException("Test fault: a call the consumer made timed out."));
        await ProduceToFirstPartitionAsync(topic, before, new UserCreated(before, "Before", $"{before:N}@example.com", 1, now));
        await ProduceToFirstPartitionAsync(topic, cancelled, new UserCreated(cancelled, "Cancelled", $"{cancelled:N}@example.com", 1, now), cancelledMessage);
        await ProduceToFirstPartitionAsync(topic, after, new UserCreated(after, "After", $"{after:N}@example.com", 1, now));
        await Eventually.Until(() => Task.FromResult(buffered.Buffered >= 3), "the three records fetched behind the held one");
        _gate.Open();

        await _system.AllReplicasReachAsync(after, version: 1);
        var concertGroup = kafka.TopicPrefix + "concert";
        var deadLetter = kafka.ReadTopic(topic + ".dlt",
            records => records.Any(r => Header(r, KafkaHeaders.MessageId) == cancelledMessage.ToString() && Header(r, KafkaHeaders.ConsumerGroup) == concertGroup),
            TimeSpan.FromSeconds(30))
            .SingleOrDefault(r => Header(r, KafkaHeaders.MessageId) == cancelledMessage.ToString() && Header(r, KafkaHeaders.ConsumerGroup) == concertGroup);

        Assert.Multiple(async () =>
        {
            Assert.That(retriedAlone.Sum(), Is.GreaterThanOrEqualTo(1), "the three met in one batch, which rolled back and ran one by one");
            Assert.That(await ConcertBookingSystem.FindReplicaAsync(_system.Concert.Services, before), Is.Not.Null, "the record before it");
            Assert.That(await ConcertBookingSystem.FindReplicaAsync(_system.Concert.Services, cancelled), Is.Null, "its transaction rolled back");
            Assert.That(deadLetter, Is.Not.Null, "the record whose call was cancelled, in the dead-letter topic");
            // MassTransit names a consumer's own cancellation so (the delivery's own cancellation would be an OperationCanceledException).
            Assert.That(deadLetter is null ? null : Header(deadLetter, KafkaHeaders.ExceptionType), Is.EqualTo(typeof(ConsumerCanceledException).FullName));
        });
    }

    private Task ProduceToFirstPartitionAsync(string topic, Guid userId, object message, Guid? messageId = null) =>
        _system.Kafka!.ProduceMessageAsync(topic, 0, userId.ToString(), message, messageId);

    [Test]
    public async Task Poison_records_go_to_the_dead_letter_topic_with_the_reason_and_the_partition_keeps_flowing()
    {
        var kafka = _system.Kafka!;
        var topic = kafka.Topic(UserStream);
        var poisonKey = $"poison-{Guid.NewGuid():N}";
        var valid = new UserCreated(Guid.CreateVersion7(), "x", "x@example.com", 1, DateTimeOffset.UtcNow);
        // Poison on every partition, before real events, so that whichever partition a signup lands on it is behind poison.
        for (var partition = 0; partition < KafkaTestCluster.Partitions; partition++)
        {
            await kafka.ProduceRawAsync(topic, partition, poisonKey, "{ not json"u8.ToArray(), new Dictionary<string, string>
            {
                [KafkaHeaders.MessageId] = Guid.NewGuid().ToString(),
                [KafkaHeaders.MessageType] = MessageTypeNames.Of(typeof(UserCreated)),
            });
            await kafka.ProduceRawAsync(topic, partition, poisonKey, Encoding.UTF8.GetBytes(System.Text.Json.JsonSerializer.Serialize(valid)), new Dictionary<string, string>
            {
                [KafkaHeaders.MessageId] = Guid.NewGuid().ToString(),
                [KafkaHeaders.MessageType] = "Nobody.Knows.ThisEvent, Nowhere",
            });
        }

        var users = await Task.WhenAll(Enumerable.Range(0, 8).Select(i => _users.SignUpAsync($"After poison {i}")));
        foreach (var user in users)
        {
            await _system.AllReplicasReachAsync(user.Id, version: 1);
        }

        var concertGroup = kafka.TopicPrefix + "concert";
        var deadLetters = kafka.ReadTopic(topic + ".dlt",
            records => records.Count(r => r.Message.Key == poisonKey && Header(r, KafkaHeaders.ConsumerGroup) == concertGroup) >= 2 * KafkaTestCluster.Partitions,
            TimeSpan.FromSeconds(30))
            .Where(r => r.Message.Key == poisonKey && Header(r, KafkaHeaders.ConsumerGroup) == concertGroup)
            .ToList();

        Assert.That(deadLetters, Has.Count.EqualTo(2 * KafkaTestCluster.Partitions));
        Assert.Multiple(() =>
        {
            Assert.That(deadLetters.Count(r => Header(r, KafkaHeaders.ExceptionType) == typeof(MalformedMessageException).FullName), Is.EqualTo(KafkaTestCluster.Partitions));
            Assert.That(deadLetters.Count(r => Header(r, KafkaHeaders.ExceptionType) == typeof(UnknownMessageTypeException).FullName), Is.EqualTo(KafkaTestCluster.Partitions));
            Assert.That(deadLetters.Select(r => Header(r, KafkaHeaders.ExceptionMessage)), Has.All.Not.Empty);
            Assert.That(deadLetters.Select(r => Header(r, KafkaHeaders.OriginalTopic)), Has.All.EqualTo(topic));
            Assert.That(deadLetters.Select(r => Header(r, KafkaHeaders.MessageId)), Has.All.Not.Null, "original headers are kept");
        });
    }

    [Test]
    public async Task Kafka_consumers_report_lag_per_partition_and_replication_lag_from_the_records_write_time()
    {
        using var users = _system.Users.CreateClient();
        using var concert = _system.Concert.CreateClient();
        var user = await users.SignUpAsync("Lag on Kafka");
        var replica = (await _system.AllReplicasReachAsync(user.Id, version: 1))[0];

        var metrics = await Eventually.Until(() => concert.GetStringAsync("/metrics"),
            text => text.Contains("kafka_consumer_lag") && text.Contains("replication_lag_milliseconds_bucket"),
            "ConcertService's Kafka lag gauge and replication lag histogram");
        Assert.That(metrics, Does.Match("kafka_consumer_lag\\{[^}]*partition=\"[0-9]+\"[^}]*topic=\"[^\"]*user\\.events\""),
            "one series per topic and partition");
        Assert.That(replica.ReplicatedAt - replica.ChangedAt, Is.LessThan(TimeSpan.FromMinutes(1)), "lag measured from the record's write time");
    }

    [Test]
    public async Task A_record_that_keeps_failing_goes_to_the_dead_letter_topic_after_its_retries_and_the_partition_moves_on()
    {
        var kafka = _system.Kafka!;
        var topic = kafka.Topic(UserStream);
        var failingId = Guid.CreateVersion7();
        // Valid JSON of a known type, but the replica's name column holds 100 characters: the insert fails every time.
        var failing = new UserCreated(Guid.CreateVersion7(), new string('x', 500), "long@example.com", 1, DateTimeOffset.UtcNow);
        var next = new UserCreated(Guid.CreateVersion7(), "Right behind", UserApiClient.UniqueEmail("behind"), 1, DateTimeOffset.UtcNow);
        foreach (var (message, id) in new[] { (failing, failingId), (next, Guid.CreateVersion7()) })
        {
            await kafka.ProduceRawAsync(topic, partition: 0, message.UserId.ToString(),
                Encoding.UTF8.GetBytes(System.Text.Json.JsonSerializer.Serialize(message, MessageSerialization.Options)),
                new Dictionary<string, string>
                {
                    [KafkaHeaders.MessageId] = id.ToString(),
                    [KafkaHeaders.MessageType] = MessageTypeNames.Of(typeof(UserCreated)),
                });
        }

        await _system.AllReplicasReachAsync(next.UserId, version: 1);
        var concertGroup = kafka.TopicPrefix + "concert";
        var deadLetter = kafka.ReadTopic(topic + ".dlt",
            records => records.Any(r => Header(r, KafkaHeaders.MessageId) == failingId.ToString() && Header(r, KafkaHeaders.ConsumerGroup) == concertGroup),
            TimeSpan.FromSeconds(30))
            .SingleOrDefault(r => Header(r, KafkaHeaders.MessageId) == failingId.ToString() && Header(r, KafkaHeaders.ConsumerGroup) == concertGroup);

        Assert.That(deadLetter, Is.Not.Null, "the failing record in the dead-letter topic");
        Assert.Multiple(async () =>
        {
            Assert.That(Header(deadLetter!, KafkaHeaders.ExceptionType), Is.EqualTo(typeof(Npgsql.PostgresException).FullName));
            Assert.That(Header(deadLetter!, KafkaHeaders.ExceptionMessage), Does.Contain("value too long"), "the database's own reason");
            Assert.That(Header(deadLetter!, KafkaHeaders.OriginalPartition), Is.EqualTo("0"));
            Assert.That(await MessagingProbes.InboxEntriesAsync<ConcertDbContext>(_system.Concert.Services, failingId), Is.Zero, "its transaction rolled back");
            Assert.That(await ConcertBookingSystem.FindReplicaAsync(_system.Concert.Services, failing.UserId), Is.Null);
        });
    }

    [Test]
    public async Task Dead_letters_are_listed_for_the_operator_and_replayed_once_to_their_topic()
    {
        await using var system = await StartOwnSystemAsync();
        var kafka = system.Kafka!;
        var topic = kafka.Topic(UserStream);
        var failingId = Guid.CreateVersion7();
        // The replica's name column holds 100 characters: this record fails, and fails again when replayed.
        var failing = new UserCreated(Guid.CreateVersion7(), new string('y', 500), "long@example.com", 1, DateTimeOffset.UtcNow);
        await kafka.ProduceRawAsync(topic, partition: 1, failing.UserId.ToString(),
            Encoding.UTF8.GetBytes(System.Text.Json.JsonSerializer.Serialize(failing, MessageSerialization.Options)),
            new Dictionary<string, string>
            {
                [KafkaHeaders.MessageId] = failingId.ToString(),
                [KafkaHeaders.MessageType] = MessageTypeNames.Of(typeof(UserCreated)),
            });
        var deadLetters = system.Concert.Services.GetRequiredService<IDeadLetters>();

        var listed = await Eventually.Until(() => deadLetters.ListAsync(100, CancellationToken.None),
            letters => letters.Any(d => d.MessageId == failingId), "the failed record in the concert service's dead letters");
        var entry = listed.Single(d => d.MessageId == failingId);
        Assert.Multiple(() =>
        {
            Assert.That(entry.Queue, Is.EqualTo(topic + ".dlt"));
            Assert.That(entry.ExceptionType, Is.EqualTo(typeof(Npgsql.PostgresException).FullName));
            Assert.That(entry.MessageType, Is.EqualTo(MessageTypeNames.Of(typeof(UserCreated))));
            Assert.That(entry.FaultedAt, Is.Not.Null);
        });

        Assert.That(await deadLetters.ReplayAsync(null, CancellationToken.None), Is.EqualTo(new ReplayResult(1, 0)));
        Assert.That(await deadLetters.ReplayAsync(null, CancellationToken.None), Is.EqualTo(new ReplayResult(0, 0)), "a replayed dead letter is not replayed again");

        // The replay is a new record on the original topic; the fault persisting, it fails again and is listed anew.
        var copies = kafka.ReadTopic(topic, records => records.Count(r => Header(r, KafkaHeaders.MessageId) == failingId.ToString()) >= 2, TimeSpan.FromSeconds(30))
            .Count(r => Header(r, KafkaHeaders.MessageId) == failingId.ToString());
        Assert.That(copies, Is.EqualTo(2));
        await Eventually.Until(() => deadLetters.ListAsync(100, CancellationToken.None),
            letters => letters.Count(d => d.MessageId == failingId) == 1, "the replayed record to fail again and be listed anew");
    }

    /// <summary>
    /// The user stream is compacted: the last record of a key is what a consumer group that starts later reads as the
    /// user. A dead letter replayed onto it after a newer event of its user would become that last record, an old
    /// state for good; and the group it failed in has the newer event already, which carries the whole user. So such a
    /// dead letter is not replayed but counted as superseded, while one with nothing newer is replayed.
    /// </summary>
    [Test]
    public async Task A_dead_letter_of_the_user_stream_superseded_by_a_newer_event_of_its_user_is_not_replayed()
    {
        await using var system = await StartOwnSystemAsync();
        var kafka = system.Kafka!;
        var topic = kafka.Topic(UserStream);
        var now = DateTimeOffset.UtcNow;
        // The replica's name column holds 100 characters: these records fail in every replica.
        var (superseded, alone) = (Guid.CreateVersion7(), Guid.CreateVersion7());
        var (supersededMessage, aloneMessage) = (Guid.NewGuid(), Guid.NewGuid());
        await ProduceAsync(kafka, topic, superseded, new UserCreated(superseded, new string('y', 500), "long@example.com", 1, now), supersededMessage);
        await ProduceAsync(kafka, topic, alone, new UserCreated(alone, new string('z', 500), "longer@example.com", 1, now), aloneMessage);
        var newer = new UserUpdated(superseded, "Fixed", UserApiClient.UniqueEmail("fixed"), 2, now);
        await ProduceAsync(kafka, topic, superseded, newer, Guid.NewGuid());
        var deadLetters = system.Concert.Services.GetRequiredService<IDeadLetters>();
        await system.AllReplicasReachAsync(superseded, version: 2);
        await Eventually.Until(() => deadLetters.ListAsync(100, CancellationToken.None),
            letters => letters.Any(d => d.MessageId == supersededMessage) && letters.Any(d => d.MessageId == aloneMessage),
            "both failed records in the concert service's dead letters");

        var replay = await deadLetters.ReplayAsync(null, CancellationToken.None);

        var records = kafka.ReadTopicToEnd(topic, TimeSpan.FromSeconds(30));
        var lastOfUser = records.Last(r => r.Message.Key == superseded.ToString());
        Assert.Multiple(() =>
        {
            Assert.That(replay, Is.EqualTo(new ReplayResult(Replayed: 1, Superseded: 1)));
            Assert.That(records.Count(r => Header(r, KafkaHeaders.MessageId) == aloneMessage.ToString()), Is.EqualTo(2), "the one with nothing newer, replayed");
            Assert.That(records.Count(r => Header(r, KafkaHeaders.MessageId) == supersededMessage.ToString()), Is.EqualTo(1), "the superseded one, not written again");
            Assert.That(Header(lastOfUser, KafkaHeaders.MessageType), Is.EqualTo(MessageTypeNames.Of(typeof(UserUpdated))), "the user's last record is still the newest");
        });
    }

    /// <summary>
    /// A replay needs the broker's answers (the dead letters, and on the compacted stream whether newer records supersede
    /// them): without them it stops before writing anything back, answers 503 with a problem, not a 500, and keeps its
    /// position, so the operator's next try replays the dead letter.
    /// </summary>
    [Test]
    public async Task A_replay_while_Kafka_does_not_answer_is_refused_with_503_and_the_dead_letter_waits_for_the_next()
    {
        RequireMock();
        await using var system = await StartOwnSystemAsync();
        var kafka = system.Kafka!;
        var failing = Guid.CreateVersion7();
        var messageId = Guid.NewGuid();
        await ProduceAsync(kafka, kafka.Topic(UserStream), failing, new UserCreated(failing, new string('w', 500), "long@example.com", 1, DateTimeOffset.UtcNow), messageId);
        var deadLetters = system.Concert.Services.GetRequiredService<IDeadLetters>();
        await Eventually.Until(() => deadLetters.ListAsync(100, CancellationToken.None), letters => letters.Any(d => d.MessageId == messageId),
            "the failed record in the concert service's dead letters");
        using var concert = system.Concert.CreateClient();
        concert.DefaultRequestHeaders.Add("X-Api-Key", TestSecrets.OpsApiKey);

        kafka.Mock!.AllDown();
        HttpResponseMessage refused;
        string refusal;
        try
        {
            refused = await concert.PostAsync("/ops/dead-letters/replay", null);
            refusal = await refused.Content.ReadAsStringAsync();
        }
        finally
        {
            kafka.Mock.AllUp();
        }

        TestContext.Out.WriteLine($"While Kafka was down: {(int)refused.StatusCode} {refusal}");
        var replayed = await concert.PostAsync("/ops/dead-letters/replay", null);
        Assert.Multiple(async () =>
        {
            Assert.That(refused.StatusCode, Is.EqualTo(System.Net.HttpStatusCode.ServiceUnavailable));
            Assert.That(refused.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/problem+json"));
            Assert.That(await replayed.Content.ReadFromJsonAsync<ReplayResult>(), Is.EqualTo(new ReplayResult(1, 0)), "replayed once Kafka answers");
        });
    }

    /// <summary>A system of the test's own, whose dead letters and replay position no other test shares; ConcertService has the ops API.</summary>
    private static async Task<ConcertBookingSystem> StartOwnSystemAsync()
    {
        var system = await ConcertBookingSystem.StartAsync(new SystemOptions
        {
            Transport = TestTransport.Kafka,
            Settings = service => service == "concert" ? [new("Ops:ApiKey", TestSecrets.OpsApiKey)] : [],
        });
        try
        {
            await system.Kafka!.WaitForTopicsAsync(UserStream, UserStream + ".dlt");
            return system;
        }
        catch
        {
            await system.DisposeAsync();
            throw;
        }
    }

    /// <summary>As the relay does: the partition is the key's, so a replay lands where its user's other events are.</summary>
    private static Task ProduceAsync(KafkaTestCluster kafka, string topic, Guid userId, object message, Guid messageId) =>
        kafka.ProduceMessageAsync(topic, Partition.Any, userId.ToString(), message, messageId);

    [Test]
    public async Task A_service_stopped_gracefully_commits_the_offsets_of_what_it_handled()
    {
        // Periodic commits effectively off for the concert service: only the commit on shutdown can move its offsets.
        await using var system = await ConcertBookingSystem.StartAsync(new SystemOptions
        {
            Transport = TestTransport.Kafka,
            Settings = service => service == "concert" ? [new("Messaging:Kafka:CommitInterval", "01:00:00")] : [],
        });
        using var users = system.Users.CreateClient();
        var signedUp = await Task.WhenAll(Enumerable.Range(0, 6).Select(i => users.SignUpAsync($"Graceful {i}")));
        foreach (var user in signedUp)
        {
            await system.AllReplicasReachAsync(user.Id, version: 1);
        }

        await system.Concert.DisposeAsync();

        var kafka = system.Kafka!;
        var committed = CommittedOffsets(kafka, "concert", UserStream);
        foreach (var (partition, end) in EndOffsets(kafka, UserStream))
        {
            Assert.That(end == 0 ? 0 : committed[partition], Is.EqualTo(end), $"partition {partition}: committed up to its end");
        }
    }

    [Test]
    public async Task A_consumer_that_dies_before_committing_gets_the_records_again_and_the_inbox_absorbs_them()
    {
        RequireMock();
        await using var system = await ConcertBookingSystem.StartAsync(new SystemOptions { Transport = TestTransport.Kafka });
        using var users = system.Users.CreateClient();
        var mock = system.Kafka!.Mock!;

        // Every offset commit of the group fails from now on: the consumer handles records but never commits them,
        // as if it died right after its transactions.
        mock.PushRequestErrors(KafkaMockCluster.OffsetCommitApi, [.. Enumerable.Repeat(ErrorCode.GroupAuthorizationFailed, 10_000)]);
        var signedUp = await Task.WhenAll(Enumerable.Range(0, 6).Select(i => users.SignUpAsync($"Uncommitted {i}")));
        foreach (var user in signedUp)
        {
            await system.AllReplicasReachAsync(user.Id, version: 1);
        }

        var handledBefore = await InboxCountAsync(system.Concert.Services);
        await system.Concert.DisposeAsync();
        mock.ClearRequestErrors(KafkaMockCluster.OffsetCommitApi);
        var kafka = system.Kafka!;
        Assert.That(CommittedOffsets(kafka, "concert", UserStream).Values, Has.All.LessThan(0), "nothing was committed");

        // A new instance of the service, same database and group: it starts from the last committed offset (none),
        // so it must handle every record again before it can commit up to the end of each partition.
        await using var restarted = system.Concert.AnotherInstance([]);
        using var duplicates = MessagingProbes.Counter(restarted.Services, "inbox.duplicates_dropped");
        var ends = EndOffsets(kafka, UserStream);
        await Eventually.Until(() => Task.FromResult(CommittedOffsets(kafka, "concert", UserStream)),
            committed => committed.All(c => c.Value == ends[c.Key] || ends[c.Key] == 0),
            "the restarted instance to handle and commit every record again");

        Assert.Multiple(async () =>
        {
            Assert.That(duplicates.Sum(), Is.GreaterThan(0), "the inbox dropped redelivered records");
            Assert.That(await InboxCountAsync(restarted.Services), Is.EqualTo(handledBefore), "no record was applied twice");
            foreach (var user in signedUp)
            {
                var replica = await ConcertBookingSystem.FindReplicaAsync(restarted.Services, user.Id);
                Assert.That(replica?.Version, Is.EqualTo(1));
            }
        });
    }

    [Test]
    public async Task Signups_during_a_broker_outage_all_arrive_once_after_it_returns()
    {
        RequireMock();
        await using var system = await ConcertBookingSystem.StartAsync(new SystemOptions { Transport = TestTransport.Kafka });
        using var users = system.Users.CreateClient();
        var mock = system.Kafka!.Mock!;
        var before = await users.SignUpAsync("Before the outage");
        await system.AllReplicasReachAsync(before.Id, version: 1);

        var burst = Task.WhenAll(Enumerable.Range(0, 30).Select(i => users.SignUpAsync($"Burst {i}")));
        mock.AllDown();
        var signedUp = await burst; // UserService keeps accepting: the events wait in its outbox
        await Eventually.Until(() => KafkaCheckStatusAsync(users), status => status == "Unhealthy",
            "/health to report Kafka unhealthy while the broker is down");
        await Eventually.Until(async () => (await MessagingProbes.OutboxAsync<UserDbContext>(system.Users.Services)).Any(m => m.Attempts > 0 && m.DispatchedAt == null),
            "the relay to fail against the downed broker");
        mock.AllUp();

        foreach (var user in signedUp)
        {
            await system.AllReplicasReachAsync(user.Id, version: 1, TimeSpan.FromSeconds(60));
        }

        Assert.That(await KafkaCheckStatusAsync(users), Is.EqualTo("Healthy"));

        // A publish the relay gave up on during the outage may still have been delivered by the client later, so
        // replicas can be complete before the relay has re-published and marked every row: wait for both.
        await Eventually.Until(async () => (await MessagingProbes.OutboxAsync<UserDbContext>(system.Users.Services)).Count(m => m.DispatchedAt == null),
            pending => pending == 0, "every outbox row to be confirmed by the broker", TimeSpan.FromSeconds(60));
        foreach (var (name, services) in system.Replicas)
        {
            await using var scope = services.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService(DbContextType(name)) as DbContext;
            var ids = signedUp.Select(u => u.Id).ToList();
            var replicated = await db!.Set<UserReplica.ReplicatedUser>().CountAsync(u => ids.Contains(u.Id) && u.Version == 1);
            var inboxRows = await db.Set<InboxMessage>().CountAsync(m => m.Consumer == "ProjectUserCreated");
            Assert.Multiple(() =>
            {
                Assert.That(replicated, Is.EqualTo(signedUp.Length), $"{name}: every signup of the burst");
                Assert.That(inboxRows, Is.EqualTo(signedUp.Length + 1), $"{name}: each event applied once");
            });
        }
    }

    [Test]
    public async Task A_second_instance_joining_takes_over_partitions_and_nothing_is_applied_twice()
    {
        await using var system = await ConcertBookingSystem.StartAsync(new SystemOptions { Transport = TestTransport.Kafka });
        using var users = system.Users.CreateClient();
        using var firstConsumed = MessagingProbes.Counter(system.Concert.Services, "inbox.consumed");
        var early = await users.SignUpAsync("Before the second instance");
        await system.AllReplicasReachAsync(early.Id, version: 1);

        await using var second = system.Concert.AnotherInstance(
            [new("Messaging:Outbox:RelayEnabled", "false"), new("Messaging:Kafka:GroupInstanceId", "concert-second-instance")]);
        using var secondConsumed = MessagingProbes.Counter(second.Services, "inbox.consumed");
        var signedUp = new List<UserResponse> { early };
        // Keep signing up until the group has rebalanced and both instances handle records.
        await Eventually.Until(async () =>
        {
            signedUp.AddRange(await Task.WhenAll(Enumerable.Range(0, 4).Select(i => users.SignUpAsync($"Split {i}"))));
            return secondConsumed.Sum() > 0 && firstConsumed.Sum() > 1;
        }, "both instances to handle records of their partitions", TimeSpan.FromSeconds(45));

        foreach (var user in signedUp)
        {
            await system.AllReplicasReachAsync(user.Id, version: 1);
        }

        var inboxRows = await InboxCountAsync(second.Services);
        Assert.Multiple(() =>
        {
            Assert.That(inboxRows, Is.EqualTo(signedUp.Count), "one inbox entry per event");
            Assert.That(firstConsumed.Sum() + secondConsumed.Sum(), Is.EqualTo(signedUp.Count), "every event applied exactly once across both instances");
        });
    }

    [Test]
    public void Publishing_on_the_MassTransit_bus_is_refused_since_it_would_reach_nobody()
    {
        var bus = _system.Users.Services.GetRequiredService<IBus>();
        var created = new UserCreated(Guid.CreateVersion7(), "Lost", "lost@example.com", 1, DateTimeOffset.UtcNow);

        Assert.That(async () => await bus.Publish(created), Throws.InstanceOf<NotSupportedException>().With.Message.Contains("IOutbox"));
    }

    [Test]
    public async Task Missing_topics_are_created_at_start_on_a_real_cluster()
    {
        if (TestEnvironment.KafkaBootstrapServers is null)
        {
            Assert.Ignore("Needs a real Kafka cluster (set KAFKA_BOOTSTRAP_SERVERS): librdkafka's mock cluster does not answer CreateTopics.");
        }

        using var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = _system.Kafka!.BootstrapServers }).Build();
        var stream = _system.Kafka.Topic(UserStream);
        var expected = new[] { stream, stream + ".dlt", _system.Kafka.Topic("reservation.created") };
        await Eventually.Until(() => Task.FromResult(admin.GetMetadata(TimeSpan.FromSeconds(5)).Topics.Select(t => t.Topic).ToHashSet()),
            topics => expected.All(topics.Contains), "the services to create their topics");

        var configs = await admin.DescribeConfigsAsync([
            new ConfigResource { Type = ResourceType.Topic, Name = stream },
            new ConfigResource { Type = ResourceType.Topic, Name = stream + ".dlt" },
        ]);
        Assert.Multiple(() =>
        {
            Assert.That(configs[0].Entries["cleanup.policy"].Value, Is.EqualTo("compact"), "the user stream keeps every user's latest event");
            Assert.That(configs[1].Entries["cleanup.policy"].Value, Is.EqualTo("delete"), "its dead letters are not compacted away");
        });
    }

    private static void RequireMock()
    {
        if (TestEnvironment.KafkaBootstrapServers is not null)
        {
            Assert.Ignore("Needs fault injection, which only librdkafka's mock cluster offers; KAFKA_BOOTSTRAP_SERVERS points at a real cluster.");
        }
    }

    private static Type DbContextType(string service) => service switch
    {
        "concert" => typeof(ConcertDbContext),
        "payment" => typeof(PaymentService.Data.PaymentDbContext),
        "token" => typeof(TokenService.Data.TokenDbContext),
        _ => throw new ArgumentOutOfRangeException(nameof(service)),
    };

    private static async Task<int> InboxCountAsync(IServiceProvider services)
    {
        await using var scope = services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<ConcertDbContext>().Set<InboxMessage>().CountAsync();
    }

    /// <summary>The group's committed offset per partition of a topic (negative: none), read without joining the group.</summary>
    private static Dictionary<int, long> CommittedOffsets(KafkaTestCluster kafka, string service, string topic)
    {
        using var probe = new ConsumerBuilder<Ignore, Ignore>(new ConsumerConfig { BootstrapServers = kafka.BootstrapServers, GroupId = kafka.TopicPrefix + service }).Build();
        return probe.Committed(Partitions(kafka, topic), TimeSpan.FromSeconds(10))
            .ToDictionary(c => c.Partition.Value, c => c.Offset.Value);
    }

    private static Dictionary<int, long> EndOffsets(KafkaTestCluster kafka, string topic)
    {
        using var probe = new ConsumerBuilder<Ignore, Ignore>(new ConsumerConfig { BootstrapServers = kafka.BootstrapServers, GroupId = kafka.TopicPrefix + "probe" }).Build();
        return Partitions(kafka, topic).ToDictionary(p => p.Partition.Value, p => probe.QueryWatermarkOffsets(p, TimeSpan.FromSeconds(10)).High.Value);
    }

    private static List<TopicPartition> Partitions(KafkaTestCluster kafka, string topic) =>
        [.. Enumerable.Range(0, KafkaTestCluster.Partitions).Select(p => new TopicPartition(kafka.Topic(topic), p))];

    private static async Task<string?> KafkaCheckStatusAsync(HttpClient client)
    {
        // Read whatever the overall status: other checks (the outbox's age) may turn the whole report to 503.
        using var response = await client.GetAsync("/health");
        var report = System.Text.Json.Nodes.JsonNode.Parse(await response.Content.ReadAsStringAsync());
        return report?["checks"]?["kafka"]?["status"]?.GetValue<string>();
    }

    private static string? Header(ConsumeResult<string?, byte[]> record, string name) =>
        record.Message.Headers.TryGetLastBytes(name, out var value) ? Encoding.UTF8.GetString(value) : null;

    /// <summary>
    /// Where a handling runs ahead of its partition's order: the first version that is past the first expected, or more
    /// than one past the version handled just before it; null when none is. A batch rolled back and redone one by one, or
    /// a partition lost and fetched again from its last commit, hands records over again: such a repeat starts lower and
    /// walks forward one by one, which is at-least-once, not disorder.
    /// </summary>
    private static string? RunsAhead(IReadOnlyList<long> versions, long first)
    {
        for (var i = 0; i < versions.Count; i++)
        {
            var allowed = i == 0 ? first : versions[i - 1] + 1;
            if (versions[i] > allowed)
            {
                return $"version {versions[i]} handled at #{i + 1}, where at most {allowed} could come";
            }
        }

        return null;
    }

    /// <summary>Records, per user, the versions the concert service's consumers were handed, in handling order.</summary>
    private sealed class OrderObserver : IConsumeMessageObserver<UserCreated>, IConsumeMessageObserver<UserUpdated>
    {
        private readonly ConcurrentDictionary<Guid, List<long>> _versions = new();
        private int _inFlight;
        private int _maxInFlight;

        public int MaxInFlight => Volatile.Read(ref _maxInFlight);

        public List<long> VersionsOf(Guid userId)
        {
            var versions = _versions.GetOrAdd(userId, _ => []);
            lock (versions)
            {
                return [.. versions];
            }
        }

        public Task PreConsume(ConsumeContext<UserCreated> context) => Enter(context.Message);

        public Task PreConsume(ConsumeContext<UserUpdated> context) => Enter(context.Message);

        public Task PostConsume(ConsumeContext<UserCreated> context) => Leave();

        public Task PostConsume(ConsumeContext<UserUpdated> context) => Leave();

        public Task ConsumeFault(ConsumeContext<UserCreated> context, Exception exception) => Leave();

        public Task ConsumeFault(ConsumeContext<UserUpdated> context, Exception exception) => Leave();

        private async Task Enter(IUserEvent change)
        {
            var versions = _versions.GetOrAdd(change.UserId, _ => []);
            lock (versions)
            {
                versions.Add(change.Version);
            }

            var inFlight = Interlocked.Increment(ref _inFlight);
            int max;
            while (inFlight > (max = Volatile.Read(ref _maxInFlight)) && Interlocked.CompareExchange(ref _maxInFlight, inFlight, max) != max)
            {
            }

            // Handling that takes a little while makes overlap across partitions observable.
            await Task.Delay(15);
        }

        private Task Leave()
        {
            Interlocked.Decrement(ref _inFlight);
            return Task.CompletedTask;
        }
    }
}
