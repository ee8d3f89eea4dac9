using Confluent.Kafka;
using Confluent.Kafka.Admin;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ConcertBooking.Messaging.Kafka;

/// <summary>Creates missing topics where the broker allows it, once per topic and process, as <see cref="KafkaTopics.Specification"/> says.</summary>
internal sealed partial class KafkaTopicAdmin(IOptions<KafkaOptions> options, KafkaTopics topicNames, ILogger<KafkaTopicAdmin> logger) : IDisposable
{
    private readonly KafkaOptions _options = options.Value;
    // Copied on write (rarely: once per topic and process), so the relay's every publish can read it without the lock.
    private volatile HashSet<string> _ensured = [];
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

        if (AllEnsured(topics))
        {
            // Every publish asks; without this, a batch of hundreds queued on the lock, each woken in turn through the thread pool.
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

            _ensured = [.. _ensured, .. missing];
        }
        finally
        {
            _lock.Release();
        }
    }

    private bool AllEnsured(IReadOnlyCollection<string> topics)
    {
        var ensured = _ensured;
        foreach (var topic in topics)
        {
            if (!ensured.Contains(topic))
            {
                return false;
            }
        }

        return true;
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
                topics.Select(topicNames.Specification),
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
