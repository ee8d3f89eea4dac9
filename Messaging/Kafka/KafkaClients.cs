using Confluent.Kafka;
using Confluent.Kafka.Admin;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ConcertBooking.Messaging.Kafka;

/// <summary>Client configurations from <see cref="KafkaOptions"/>, so producer, consumer and admin client agree.</summary>
internal static class KafkaClientConfig
{
    public static T Apply<T>(T config, MessagingOptions options) where T : ClientConfig
    {
        config.BootstrapServers = options.Kafka.BootstrapServers;
        config.ClientId = $"{options.ServiceName}-{Environment.MachineName}";
        foreach (var (key, value) in options.Kafka.Client)
        {
            config.Set(key, value);
        }

        return config;
    }
}

/// <summary>
/// The one producer of a process, shared by the relay and the dead-letter writer: idempotent with acks=all, so a
/// retried send is written once and in order per partition, and a delivery report means every in-sync replica has it.
/// </summary>
internal sealed class KafkaProducerHost : IDisposable
{
    private readonly ILogger<KafkaProducerHost> _logger;

    public KafkaProducerHost(IOptions<MessagingOptions> options, ILogger<KafkaProducerHost> logger)
    {
        _logger = logger;
        var config = KafkaClientConfig.Apply(new ProducerConfig
        {
            EnableIdempotence = true,
            Acks = Acks.All,
            MessageTimeoutMs = (int)options.Value.Kafka.MessageTimeout.TotalMilliseconds,
            LingerMs = 2,
        }, options.Value);
        Producer = new ProducerBuilder<string?, byte[]>(config)
            .SetErrorHandler((_, error) => KafkaClientLog.Error(_logger, "producer", error))
            .SetLogHandler((_, message) => KafkaClientLog.Native(_logger, message))
            .Build();
    }

    public IProducer<string?, byte[]> Producer { get; }

    public void Dispose()
    {
        // Records still queued were not confirmed, so their outbox rows are still pending: nothing is lost here.
        Producer.Flush(TimeSpan.FromSeconds(5));
        Producer.Dispose();
    }
}

/// <summary>
/// librdkafka reports every failed connection attempt; it reconnects by itself, so only what needs a person is a
/// warning: a fatal error, or all brokers down (which the readiness check shows as well).
/// </summary>
internal static partial class KafkaClientLog
{
    public static void Error(ILogger logger, string client, Error error)
    {
        if (error.IsFatal)
        {
            LogFatal(logger, client, error.Code, error.Reason);
        }
        else if (error.Code == ErrorCode.Local_AllBrokersDown)
        {
            LogAllBrokersDown(logger, client, error.Reason);
        }
        else
        {
            LogTransient(logger, client, error.Code, error.Reason);
        }
    }

    /// <summary>librdkafka's own log lines into the service's logging, not onto stderr.</summary>
    public static void Native(ILogger logger, LogMessage message)
    {
        // FAIL lines are failed connection attempts, also reported through the error handler (see Error above).
        var level = message.Facility == "FAIL" ? LogLevel.Debug : message.Level switch
        {
            <= SyslogLevel.Error => LogLevel.Error,
            SyslogLevel.Warning => LogLevel.Warning,
            SyslogLevel.Notice => LogLevel.Information,
            _ => LogLevel.Debug,
        };
        if (logger.IsEnabled(level))
        {
            LogNative(logger, level, message.Name, message.Facility, message.Message);
        }
    }

    [LoggerMessage(Message = "librdkafka {Name} {Facility}: {Text}")]
    private static partial void LogNative(ILogger logger, LogLevel level, string name, string facility, string text);

    [LoggerMessage(Level = LogLevel.Critical, Message = "Kafka {Client} failed fatally ({Code}): {Reason}")]
    private static partial void LogFatal(ILogger logger, string client, ErrorCode code, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Kafka {Client}: {Reason}; reconnecting")]
    private static partial void LogAllBrokersDown(ILogger logger, string client, string reason);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Kafka {Client} error {Code}: {Reason} (librdkafka retries)")]
    private static partial void LogTransient(ILogger logger, string client, ErrorCode code, string reason);
}

/// <summary>Creates missing topics where the broker allows it, once per topic and process.</summary>
internal sealed partial class KafkaTopicAdmin(IOptions<MessagingOptions> options, ILogger<KafkaTopicAdmin> logger) : IDisposable
{
    private readonly KafkaOptions _options = options.Value.Kafka;
    private readonly HashSet<string> _ensured = [];
    private readonly SemaphoreSlim _lock = new(1, 1);
    private readonly Lazy<IAdminClient> _admin = new(() =>
        new AdminClientBuilder(KafkaClientConfig.Apply(new AdminClientConfig(), options.Value))
            .SetErrorHandler((_, error) => KafkaClientLog.Error(logger, "admin client", error))
            .SetLogHandler((_, message) => KafkaClientLog.Native(logger, message))
            .Build());

    public async Task EnsureAsync(IReadOnlyCollection<string> topics, CancellationToken cancellationToken)
    {
        if (!_options.CreateTopics)
        {
            return;
        }

        await _lock.WaitAsync(cancellationToken);
        try
        {
            var missing = topics.Where(t => !_ensured.Contains(t)).Distinct().ToList();
            if (missing.Count == 0)
            {
                return;
            }

            // Asking for metadata first keeps creation off the common path, and works where CreateTopics is refused.
            var existing = await Task.Run(ExistingTopics, cancellationToken);
            if (existing is null)
            {
                return; // broker unreachable: try again on the next publish or start, rather than never
            }

            var toCreate = missing.Where(t => !existing.Contains(t)).ToList();
            if (toCreate.Count > 0)
            {
                await CreateAsync(toCreate);
            }

            _ensured.UnionWith(missing);
        }
        finally
        {
            _lock.Release();
        }
    }

    private HashSet<string>? ExistingTopics()
    {
        try
        {
            return _admin.Value.GetMetadata(_options.AdminTimeout).Topics
                .Where(t => t.Error.Code == ErrorCode.NoError)
                .Select(t => t.Topic)
                .ToHashSet();
        }
        catch (KafkaException exception)
        {
            LogMetadataFailed(logger, exception, _options.BootstrapServers);
            return null;
        }
    }

    private async Task CreateAsync(List<string> topics)
    {
        try
        {
            await _admin.Value.CreateTopicsAsync(
                topics.Select(t => new TopicSpecification { Name = t, NumPartitions = _options.Partitions, ReplicationFactor = _options.ReplicationFactor }),
                new CreateTopicsOptions { RequestTimeout = _options.AdminTimeout, OperationTimeout = _options.AdminTimeout });
            LogCreated(logger, string.Join(", ", topics), _options.Partitions, _options.ReplicationFactor);
        }
        catch (CreateTopicsException exception)
        {
            foreach (var result in exception.Results.Where(r => r.Error.Code is not (ErrorCode.NoError or ErrorCode.TopicAlreadyExists)))
            {
                LogCreateRefused(logger, result.Topic, result.Error.Code, result.Error.Reason);
            }
        }
        catch (KafkaException exception)
        {
            // Managed clusters often forbid CreateTopics: the topics are then provisioned by their operators, or the
            // broker auto-creates them. Either way this service can run, so it says so and goes on.
            LogCreateFailed(logger, exception, string.Join(", ", topics));
        }
    }

    /// <summary>Partitions of a topic (0 when it does not exist).</summary>
    public int PartitionCount(string topic, TimeSpan timeout) =>
        _admin.Value.GetMetadata(topic, timeout).Topics.FirstOrDefault(t => t.Topic == topic && t.Error.Code == ErrorCode.NoError)?.Partitions.Count ?? 0;

    /// <summary>For the health check: whether the cluster answers a metadata request, and with how many brokers.</summary>
    public int BrokersReachable(TimeSpan timeout) => _admin.Value.GetMetadata(timeout).Brokers.Count;

    public void Dispose()
    {
        if (_admin.IsValueCreated)
        {
            _admin.Value.Dispose();
        }

        _lock.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Created Kafka topics {Topics} ({Partitions} partitions, replication factor {ReplicationFactor})")]
    private static partial void LogCreated(ILogger logger, string topics, int partitions, short replicationFactor);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Kafka refused to create topic {Topic}: {Code} {Reason}; continuing, it must be created by an operator or auto-created")]
    private static partial void LogCreateRefused(ILogger logger, string topic, ErrorCode code, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not create Kafka topics {Topics} (the broker refused or did not answer CreateTopics); continuing, they must exist or be auto-created")]
    private static partial void LogCreateFailed(ILogger logger, Exception exception, string topics);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not read Kafka topic metadata from {BootstrapServers}")]
    private static partial void LogMetadataFailed(ILogger logger, Exception exception, string bootstrapServers);
}
