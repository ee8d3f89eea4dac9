using System.Reflection;
using System.Runtime.InteropServices;
using ConcertBooking.Contracts;
using ConcertBooking.Messaging.Kafka;
using Confluent.Kafka;

namespace ConcertBooking.Tests.Infrastructure;

/// <summary>
/// librdkafka's built-in Kafka-protocol mock cluster, in this process: real brokers on loopback ports that speak the
/// Kafka protocol (produce, fetch, consumer groups, offsets), with fault injection. No broker can be installed on
/// these machines, so the Kafka tests run against it; with <c>KAFKA_BOOTSTRAP_SERVERS</c> set they use that cluster.
/// </summary>
/// <remarks>
/// The cluster belongs to a producer handle created with <c>test.mock.num.brokers</c>; its functions are called on
/// the very librdkafka file Confluent.Kafka loaded (found in /proc/self/maps), since a second copy of the library
/// would not know that handle. Limits: it does not answer CreateTopics (topics are created here), and a member
/// that vanishes without leaving is only dropped after its session timeout.
/// </remarks>
public sealed class KafkaMockCluster : IDisposable
{
    private static readonly Lazy<Native> Functions = new(Native.Load);
    private readonly IProducer<Null, Null> _owner;
    private readonly IntPtr _cluster;

    public KafkaMockCluster(int brokers = 1)
    {
        var config = new ProducerConfig { BootstrapServers = "127.0.0.1:1" };
        config.Set("test.mock.num.brokers", brokers.ToString(System.Globalization.CultureInfo.InvariantCulture));
        config.Set("log_level", "3"); // the mock announces itself at notice level on every start
        _owner = new ProducerBuilder<Null, Null>(config).Build();
        Brokers = brokers;
        _cluster = Functions.Value.HandleMockCluster(RawHandle(_owner.Handle));
        if (_cluster == IntPtr.Zero)
        {
            throw new InvalidOperationException("librdkafka did not create a mock cluster.");
        }

        BootstrapServers = Marshal.PtrToStringUTF8(Functions.Value.Bootstraps(_cluster))!;
        // A new group otherwise waits 3 s for more members before its first assignment.
        Functions.Value.InitialRebalanceDelay(_cluster, 0);
    }

    public string BootstrapServers { get; }

    public int Brokers { get; }

    public void CreateTopic(string topic, int partitions, int replicationFactor = 1) =>
        Check(Functions.Value.TopicCreate(_cluster, topic, partitions, Math.Min(replicationFactor, Brokers)), $"create topic {topic}");

    /// <summary>The broker closes its connections and refuses new ones, like a crashed broker, until <see cref="SetUp"/>.</summary>
    public void SetDown(int brokerId) => Check(Functions.Value.BrokerSetDown(_cluster, brokerId), $"set broker {brokerId} down");

    public void SetUp(int brokerId) => Check(Functions.Value.BrokerSetUp(_cluster, brokerId), $"set broker {brokerId} up");

    public void AllDown()
    {
        for (var id = 1; id <= Brokers; id++)
        {
            SetDown(id);
        }
    }

    public void AllUp()
    {
        for (var id = 1; id <= Brokers; id++)
        {
            SetUp(id);
        }
    }

    public const short ProduceApi = 0;
    public const short OffsetCommitApi = 8;

    /// <summary>The next <paramref name="errors"/>.Length requests of that API (e.g. 0 = Produce) fail with these codes.</summary>
    public void PushRequestErrors(short apiKey, params ErrorCode[] errors) =>
        Functions.Value.PushRequestErrors(_cluster, apiKey, (nuint)errors.Length, errors.Select(e => (int)e).ToArray());

    public void ClearRequestErrors(short apiKey) => Functions.Value.ClearRequestErrors(_cluster, apiKey);

    public void Dispose() => _owner.Dispose();

    private static void Check(int error, string what)
    {
        if (error != 0)
        {
            throw new InvalidOperationException($"Mock cluster could not {what}: {(ErrorCode)error}");
        }
    }

    /// <summary>Confluent.Kafka keeps the rd_kafka_t pointer internal; the mock API needs it.</summary>
    internal static IntPtr RawHandle(Handle handle)
    {
        var property = typeof(Handle).GetProperty("LibrdkafkaHandle", BindingFlags.Instance | BindingFlags.NonPublic)
            ?? throw new InvalidOperationException("Confluent.Kafka.Handle.LibrdkafkaHandle is gone; update KafkaMockCluster.");
        return ((SafeHandle)property.GetValue(handle)!).DangerousGetHandle();
    }

    internal sealed class Native
    {
        [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
        public delegate IntPtr HandleMockClusterFn(IntPtr rk);

        [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
        public delegate IntPtr BootstrapsFn(IntPtr cluster);

        [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
        public delegate int TopicCreateFn(IntPtr cluster, [MarshalAs(UnmanagedType.LPUTF8Str)] string topic, int partitions, int replicationFactor);

        [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
        public delegate int BrokerFn(IntPtr cluster, int brokerId);

        [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
        public delegate void PushRequestErrorsFn(IntPtr cluster, short apiKey, nuint count, int[] errors);

        [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
        public delegate void ClearRequestErrorsFn(IntPtr cluster, short apiKey);

        [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
        public delegate void DelayFn(IntPtr cluster, int delayMs);

        public required HandleMockClusterFn HandleMockCluster { get; init; }
        public required BootstrapsFn Bootstraps { get; init; }
        public required TopicCreateFn TopicCreate { get; init; }
        public required BrokerFn BrokerSetDown { get; init; }
        public required BrokerFn BrokerSetUp { get; init; }
        public required PushRequestErrorsFn PushRequestErrors { get; init; }
        public required ClearRequestErrorsFn ClearRequestErrors { get; init; }
        public required DelayFn InitialRebalanceDelay { get; init; }

        public static Native Load()
        {
            var library = NativeLibrary.Load(LoadedLibrdkafkaPath());
            T Get<T>(string name) where T : Delegate => Marshal.GetDelegateForFunctionPointer<T>(NativeLibrary.GetExport(library, name));
            return new Native
            {
                HandleMockCluster = Get<HandleMockClusterFn>("rd_kafka_handle_mock_cluster"),
                Bootstraps = Get<BootstrapsFn>("rd_kafka_mock_cluster_bootstraps"),
                TopicCreate = Get<TopicCreateFn>("rd_kafka_mock_topic_create"),
                BrokerSetDown = Get<BrokerFn>("rd_kafka_mock_broker_set_down"),
                BrokerSetUp = Get<BrokerFn>("rd_kafka_mock_broker_set_up"),
                PushRequestErrors = Get<PushRequestErrorsFn>("rd_kafka_mock_push_request_errors_array"),
                ClearRequestErrors = Get<ClearRequestErrorsFn>("rd_kafka_mock_clear_request_errors"),
                InitialRebalanceDelay = Get<DelayFn>("rd_kafka_mock_group_initial_rebalance_delay_ms"),
            };
        }

        /// <summary>
        /// The librdkafka file Confluent.Kafka mapped into this process (here the bundled centos8 build, since the
        /// main one needs libsasl2.so.3); dlopen of the same path returns the same, already initialised library.
        /// </summary>
        internal static string LoadedLibrdkafkaPath()
        {
            var mapped = File.ReadLines("/proc/self/maps")
                .Select(line => line.Split(' ', 6, StringSplitOptions.RemoveEmptyEntries))
                .Where(fields => fields.Length == 6 && Path.GetFileName(fields[5].Trim()).Contains("librdkafka", StringComparison.Ordinal))
                .Select(fields => fields[5].Trim())
                .FirstOrDefault();
            return mapped ?? throw new InvalidOperationException("librdkafka is not loaded in this process (no Kafka client created yet?).");
        }
    }
}

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

    /// <summary>A topic tests can route all user events to (topic overrides), so one user's events share a partition.</summary>
    public const string SharedUserTopic = "user.events";

    public static KafkaTestCluster Create(int mockBrokers = 1)
    {
        if (TestEnvironment.KafkaBootstrapServers is { } real)
        {
            return new KafkaTestCluster(real, null);
        }

        var mock = new KafkaMockCluster(mockBrokers);
        var cluster = new KafkaTestCluster(mock.BootstrapServers, mock);
        // The mock refuses CreateTopics, so the topics the services would create are made here: one per event
        // contract (whichever services publish it) and its dead-letter topic.
        foreach (var topic in typeof(UserCreated).Assembly.GetExportedTypes()
                     .Where(t => t is { IsClass: true, IsAbstract: false } && t.Namespace?.StartsWith(typeof(UserCreated).Namespace!, StringComparison.Ordinal) == true)
                     .Select(t => cluster.TopicPrefix + KafkaTopics.Derive(t.Name)))
        {
            mock.CreateTopic(topic, Partitions, mockBrokers);
            mock.CreateTopic(topic + ".dlt", Partitions, mockBrokers);
        }

        mock.CreateTopic(cluster.Topic(SharedUserTopic), Partitions, mockBrokers);
        mock.CreateTopic(cluster.Topic(SharedUserTopic) + ".dlt", Partitions, mockBrokers);

        return cluster;
    }

    /// <summary>The full name of a topic of this cluster's system.</summary>
    public string Topic(string unprefixed) => TopicPrefix + unprefixed;

    /// <summary>A service's Kafka settings on this cluster; tests use short timeouts so rebalances take seconds.</summary>
    public IEnumerable<KeyValuePair<string, string?>> Settings(string service) =>
    [
        new("Messaging:Transport", "Kafka"),
        new("Messaging:Kafka:BootstrapServers", BootstrapServers),
        new("Messaging:Kafka:TopicPrefix", TopicPrefix),
        new("Messaging:Kafka:GroupId", TopicPrefix + service),
        new("Messaging:Kafka:Partitions", Partitions.ToString(System.Globalization.CultureInfo.InvariantCulture)),
        new("Messaging:Kafka:SessionTimeout", Mock is null ? "00:00:06" : "00:00:03"),
        new("Messaging:Kafka:HeartbeatInterval", "00:00:00.500"),
        new("Messaging:Kafka:CommitInterval", "00:00:00.200"),
        new("Messaging:Kafka:StopGracePeriod", "00:00:02"),
        new("Messaging:Kafka:AdminTimeout", "00:00:05"),
        new("Messaging:Kafka:DeadLetterRetryDelay", "00:00:00.200"),
        new("Messaging:Outbox:PublishTimeout", "00:00:05"),
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
    public async Task ProduceRawAsync(string topic, int partition, string key, byte[] value, IReadOnlyDictionary<string, string> headers)
    {
        using var producer = new ProducerBuilder<string, byte[]>(new ProducerConfig { BootstrapServers = BootstrapServers }).Build();
        var kafkaHeaders = new Headers();
        foreach (var (name, headerValue) in headers)
        {
            kafkaHeaders.Add(name, System.Text.Encoding.UTF8.GetBytes(headerValue));
        }

        await producer.ProduceAsync(new TopicPartition(topic, partition),
            new Message<string, byte[]> { Key = key, Value = value, Headers = kafkaHeaders });
    }

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

    public void Dispose() => Mock?.Dispose();
}
