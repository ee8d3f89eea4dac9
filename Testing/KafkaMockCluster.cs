using System.Reflection;
using System.Runtime.InteropServices;
using Confluent.Kafka;

namespace ConcertBooking.Testing;

/// <summary>
/// librdkafka's built-in Kafka-protocol mock cluster, in this process: real brokers on random loopback ports that
/// speak the Kafka protocol (produce, fetch, consumer groups, offsets), in memory only, with fault injection. No
/// broker can be installed on these machines, so the in-process Kafka tests run against it, and the dev broker
/// (Tools/KafkaDevBroker) hosts one in a process of its own for <c>make up TRANSPORT=kafka</c> and the fault suite.
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
