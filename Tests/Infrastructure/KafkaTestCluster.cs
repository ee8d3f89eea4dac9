using ConcertBooking.Messaging.Hosting;
using ConcertBooking.Messaging.Kafka;
using ConcertBooking.Messaging.Publishing;
using Confluent.Kafka;

namespace ConcertBooking.Tests.Infrastructure;

/// <summary>
/// The Kafka cluster a test system uses: a fresh mock cluster, or the real one named by <c>KAFKA_BOOTSTRAP_SERVERS</c>.
/// Each has its own topic prefix and consumer groups, so systems on one real cluster never see each other's records.
/// </summary>
public sealed class KafkaTestCluster : IDisposable
{
    private static int _counter;

    private KafkaTestCluster(string bootstrapServers, KafkaMockCluster? mock)
    {
        BootstrapServers = bootstrapServers;
        Mock = mock;
        TopicPrefix = $"cb-{TestEnvironment.RunId}-{Interlocked.Increment(ref _counter)}.";
    }

    public string BootstrapServers { get; }

    /// <summary>Null on a real cluster: fault injection is then not available.</summary>
    public KafkaMockCluster? Mock { get; }

    public string TopicPrefix { get; }

    public const int Partitions = 4;

    public static KafkaTestCluster Create(int mockBrokers = 1)
    {
        if (TestEnvironment.KafkaBootstrapServers is { } real)
        {
            return new KafkaTestCluster(real, null);
        }

        var mock = new KafkaMockCluster(mockBrokers);
        var cluster = new KafkaTestCluster(mock.BootstrapServers, mock);
        // The mock refuses CreateTopics, so the topics the services would create are made here, named by the code
        // the services name them with: the user stream, a topic per other event contract, and their dead-letter topics.
        cluster.CreateTopics(SystemTopology.KafkaTopics(new KafkaOptions()).All(SystemTopology.Messages));
        return cluster;
    }

    /// <summary>
    /// On the mock, creates topics (unprefixed names) that the services would create on a real cluster: for tests
    /// that route messages elsewhere than the system's default topics. On a real cluster the services create them.
    /// </summary>
    public void CreateTopics(IEnumerable<string> unprefixedTopics)
    {
        foreach (var topic in unprefixedTopics)
        {
            Mock?.CreateTopic(Topic(topic), Partitions, Mock.Brokers);
        }
    }

    /// <summary>The full name of a topic of this cluster's system.</summary>
    public string Topic(string unprefixed) => TopicPrefix + unprefixed;

    /// <summary>The services' session timeout here: a real cluster refuses one under its minimum (6 s by default).</summary>
    public TimeSpan SessionTimeout => Mock is null ? TimeSpan.FromSeconds(6) : KafkaTestSettings.MockSessionTimeout;

    /// <summary>A service's Kafka settings on this cluster; tests use short timeouts so rebalances take seconds.</summary>
    public IEnumerable<KeyValuePair<string, string?>> Settings(string service) =>
    [
        new("Messaging:Transport", "Kafka"),
        new("Messaging:Kafka:BootstrapServers", BootstrapServers),
        new("Messaging:Kafka:TopicPrefix", TopicPrefix),
        new("Messaging:Kafka:GroupId", TopicPrefix + service),
        new("Messaging:Kafka:Partitions", Partitions.ToString(System.Globalization.CultureInfo.InvariantCulture)),
        .. KafkaTestSettings.Timings(SessionTimeout).Select(s => new KeyValuePair<string, string?>(s.Key, s.Value)),
    ];

    /// <summary>
    /// Waits until the topics exist with all their partitions: on a real cluster the services create them as they
    /// start, and a test that writes to a partition directly must not race that.
    /// </summary>
    public async Task WaitForTopicsAsync(params string[] unprefixedTopics)
    {
        using var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = BootstrapServers }).Build();
        await Eventually.Until(
            () => Task.FromResult(admin.GetMetadata(TimeSpan.FromSeconds(5)).Topics
                .Where(t => t.Error.Code == ErrorCode.NoError)
                .ToDictionary(t => t.Topic, t => t.Partitions.Count)),
            topics => unprefixedTopics.All(t => topics.TryGetValue(Topic(t), out var count) && count >= Partitions),
            $"topics {string.Join(", ", unprefixedTopics)} to exist with {Partitions} partitions");
    }

    /// <summary>Writes a record as any producer could, bypassing the outbox: how tests inject poison.</summary>
    public Task ProduceRawAsync(string topic, int partition, string key, byte[] value, IReadOnlyDictionary<string, string> headers) =>
        KafkaRecords.ProduceRawAsync(BootstrapServers, topic, partition, key, value, headers);

    /// <summary>Writes a message as the relay would (the message id and type in headers) to the partition given.</summary>
    /// <param name="partition">A partition, or <see cref="Partition.Any"/> for the key's, where the relay writes it.</param>
    public Task ProduceMessageAsync(string topic, Partition partition, string key, object message, Guid? messageId = null) =>
        ProduceRawAsync(topic, partition.Value, key,
            System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(message, message.GetType(), MessageSerialization.Options),
            new Dictionary<string, string>
            {
                [KafkaHeaders.MessageId] = (messageId ?? Guid.NewGuid()).ToString(),
                [KafkaHeaders.MessageType] = MessageTypeNames.Of(message.GetType()),
            });

    /// <summary>Every record of a topic from the beginning, read outside any group, until <paramref name="done"/> or the deadline.</summary>
    public List<ConsumeResult<string?, byte[]>> ReadTopic(string topic, Func<List<ConsumeResult<string?, byte[]>>, bool> done, TimeSpan timeout)
    {
        using var consumer = new ConsumerBuilder<string?, byte[]>(new ConsumerConfig
        {
            BootstrapServers = BootstrapServers,
            GroupId = $"{TopicPrefix}reader-{Guid.NewGuid():N}",
            EnableAutoCommit = false,
        }).Build();
        consumer.Assign(Enumerable.Range(0, Partitions).Select(p => new TopicPartitionOffset(topic, p, Offset.Beginning)));
        var records = new List<ConsumeResult<string?, byte[]>>();
        var deadline = DateTime.UtcNow + timeout;
        while (!done(records) && DateTime.UtcNow < deadline)
        {
            if (consumer.Consume(TimeSpan.FromMilliseconds(100)) is { IsPartitionEOF: false } record)
            {
                records.Add(record);
            }
        }

        return records;
    }

    /// <summary>Every record a topic holds now, read outside any group: up to each partition's end as it was when asked.</summary>
    public List<ConsumeResult<string?, byte[]>> ReadTopicToEnd(string topic, TimeSpan timeout)
    {
        using var probe = new ConsumerBuilder<string?, byte[]>(new ConsumerConfig { BootstrapServers = BootstrapServers, GroupId = $"{TopicPrefix}probe" }).Build();
        var ends = Enumerable.Range(0, Partitions)
            .ToDictionary(p => p, p => probe.QueryWatermarkOffsets(new TopicPartition(topic, p), TimeSpan.FromSeconds(10)).High.Value);
        return ReadTopic(topic, records => ends.All(end => end.Value == 0
            || records.Any(r => r.Partition.Value == end.Key && r.Offset.Value >= end.Value - 1)), timeout);
    }

    public void Dispose() => Mock?.Dispose();
}
