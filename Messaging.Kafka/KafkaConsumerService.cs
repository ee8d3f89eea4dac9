using Confluent.Kafka;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ConcertBooking.Messaging.Kafka;

/// <summary>
/// This service's member of its consumer group. One thread polls; each assigned partition has a worker that
/// handles its records in offset order (so in order per key), the ones it holds in one transaction, while partitions run side by side
/// up to <see cref="KafkaOptions.ConcurrencyLimit"/>. An offset is committed only once its record's handler
/// has returned, that is after the consumer's transaction committed or its dead letter was confirmed:
/// at-least-once, with the inbox absorbing what a crash or rebalance delivers again.
/// </summary>
internal sealed partial class KafkaConsumerService(
    KafkaSubscriptions subscriptions,
    KafkaRecordHandler handler,
    KafkaTopicAdmin admin,
    KafkaTopics topics,
    IOptions<KafkaOptions> options,
    IOptions<MessagingOptions> messaging,
    KafkaConsumerLag lag,
    KafkaConsumerState state,
    TimeProvider timeProvider,
    ILogger<KafkaConsumerService> logger) : BackgroundService
{
    private readonly KafkaOptions _options = options.Value;
    private readonly Dictionary<TopicPartition, PartitionWorker> _workers = [];
    private readonly HashSet<TopicPartition> _paused = [];
    private readonly SemaphoreSlim _concurrency = new(options.Value.ConcurrencyLimit);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (subscriptions.MessageTypes.Count == 0)
        {
            return; // a service without consumers (UserService) joins no group
        }

        var subscribed = subscriptions.MessageTypes.Keys.ToList();
        await admin.EnsureAsync([.. subscribed, .. subscribed.Select(topics.DeadLetter)], stoppingToken);

        // Consume blocks, and rebalance callbacks run inside it: the loop gets a thread of its own.
        await Task.Factory.StartNew(() => Poll(subscribed, stoppingToken), stoppingToken,
            TaskCreationOptions.LongRunning, TaskScheduler.Default);
    }

    private void Poll(List<string> subscribed, CancellationToken stoppingToken)
    {
        var groupId = _options.GroupId!;
        Error? fatal = null;
        using var consumer = new ConsumerBuilder<string?, byte[]>(Config(_options))
            .SetPartitionsAssignedHandler((c, assigned) => Assign(c, assigned, groupId))
            .SetPartitionsRevokedHandler((c, revoked) => Stop(c, revoked.Select(p => p.TopicPartition), commit: true))
            .SetPartitionsLostHandler((c, lost) => Stop(c, lost.Select(p => p.TopicPartition), commit: false))
            .SetErrorHandler((_, error) =>
            {
                KafkaClientLog.Error(logger, "consumer", error);
                fatal ??= error.IsFatal ? error : null;
            })
            .SetLogHandler((_, message) => KafkaClientLog.Native(logger, message))
            .Build();
        consumer.Subscribe(subscribed);
        LogSubscribed(logger, groupId, string.Join(", ", subscribed));

        var nextCommit = timeProvider.GetUtcNow() + _options.CommitInterval;
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                ConsumeResult<string?, byte[]>? record = null;
                try
                {
                    record = consumer.Consume(TimeSpan.FromMilliseconds(100));
                }
                catch (ConsumeException exception) when (!exception.Error.IsFatal)
                {
                    // librdkafka reconnects by itself; an error here is about one fetch, never a skipped record.
                    LogConsumeError(logger, exception, exception.Error.Code);
                }
                catch (ConsumeException exception)
                {
                    fatal ??= exception.Error;
                }

                if (fatal is not null)
                {
                    // Fenced: another member has this group.instance.id. Rejoining would fence that one in turn, so this
                    // member stops, with what it handled committed, and /health says why until the ids are unique.
                    state.Stopped($"{fatal.Code}: {fatal.Reason} (is Messaging:Kafka:GroupInstanceId '{_options.GroupInstanceId}' used by another instance?)");
                    LogFatal(logger, groupId, fatal.Code, fatal.Reason);
                    break;
                }

                if (record is { IsPartitionEOF: false } && _workers.TryGetValue(record.TopicPartition, out var worker))
                {
                    worker.Enqueue(record);
                    if (worker.Buffered >= _options.MaxBufferedPerPartition && _paused.Add(record.TopicPartition))
                    {
                        consumer.Pause([record.TopicPartition]);
                    }
                }

                ResumeDrained(consumer);
                if (timeProvider.GetUtcNow() >= nextCommit)
                {
                    Commit(consumer, _workers.Values);
                    SampleLag(consumer);
                    nextCommit = timeProvider.GetUtcNow() + _options.CommitInterval;
                }
            }
        }
        finally
        {
            // Graceful: the records in flight finish (within the grace period) and their offsets are committed. Close
            // leaves the group at once, so that the others take over; a static member does not leave (KIP-345): its
            // partitions wait for it to come back under the same instance id, or for the session timeout.
            Stop(consumer, [.. _workers.Keys], commit: true);
            try
            {
                consumer.Close();
            }
            catch (KafkaException exception)
            {
                LogConsumeError(logger, exception, exception.Error.Code);
            }
        }
    }

    /// <summary>
    /// Records not yet handled per assigned partition (the high watermark librdkafka last saw, minus what this
    /// consumer has handled), for the <c>kafka.consumer.lag</c> gauge. Read on the poll thread: the consumer is not
    /// thread-safe, and the watermarks are cached from fetches, so this costs no broker round trip.
    /// </summary>
    private void SampleLag(IConsumer<string?, byte[]> consumer)
    {
        var lags = new Dictionary<TopicPartition, long>();
        foreach (var worker in _workers.Values)
        {
            var high = consumer.GetWatermarkOffsets(worker.Partition).High;
            if (high != Offset.Unset)
            {
                lags[worker.Partition] = Math.Max(0, high.Value - Math.Max(worker.HandledUpTo, worker.Committed));
            }
        }

        lag.Report(lags.Select(l => (l.Key.Topic, l.Key.Partition.Value, l.Value)).ToList());
    }

    /// <summary>The consumer's configuration: manual commits, the group's session, and static membership when on.</summary>
    internal static ConsumerConfig Config(KafkaOptions options)
    {
        var config = KafkaClientConfig.Apply(new ConsumerConfig
        {
            GroupId = options.GroupId,
            EnableAutoCommit = false,
            EnableAutoOffsetStore = false,
            // A new group starts at the beginning: a fresh replica must see every event (versions make replays safe).
            AutoOffsetReset = AutoOffsetReset.Earliest,
            SessionTimeoutMs = (int)options.SessionTimeout.TotalMilliseconds,
            HeartbeatIntervalMs = (int)options.HeartbeatInterval.TotalMilliseconds,
        }, options);
        if (options.FetchWaitMax is { } fetchWait)
        {
            config.FetchWaitMaxMs = (int)fetchWait.TotalMilliseconds;
        }

        if (options.StaticMembership)
        {
            // A restarted instance rejoins as itself and gets its partitions back at once (no rebalance, no session timeout).
            config.GroupInstanceId = options.GroupInstanceId;
        }

        return config;
    }

    private void Assign(IConsumer<string?, byte[]> consumer, List<TopicPartition> assigned, string groupId)
    {
        foreach (var partition in assigned.Where(p => !_workers.ContainsKey(p)))
        {
            _workers[partition] = new PartitionWorker(partition, handler.HandleAsync, _concurrency, messaging.Value.Consumers.MaxBatchSize, state, logger);
        }

        LogAssigned(logger, groupId, string.Join(", ", assigned));
    }

    private void Stop(IConsumer<string?, byte[]> consumer, IEnumerable<TopicPartition> partitions, bool commit)
    {
        var stopping = partitions.Where(_workers.ContainsKey).Select(p => _workers[p]).ToList();
        if (stopping.Count == 0)
        {
            return;
        }

        // Queued records are dropped, not handled: the next owner of the partition reads them from the committed offset.
        Task.WhenAll(stopping.Select(w => w.StopAsync(_options.StopGracePeriod))).GetAwaiter().GetResult();
        if (commit)
        {
            Commit(consumer, stopping);
        }

        // librdkafka keeps an application's pause of a partition across revoke and reassignment, while this member forgets
        // it: a partition paused for back pressure when the group rebalanced would come back paused and never flow. The
        // pause is lifted here, while the partition is still assigned: lifted in the assignment callback instead, it failed
        // for every partition this member had not held before, with an error logged on each start.
        var paused = stopping.Select(w => w.Partition).Where(_paused.Contains).ToList();
        if (paused.Count > 0)
        {
            try
            {
                consumer.Resume(paused);
            }
            catch (KafkaException exception)
            {
                LogConsumeError(logger, exception, exception.Error.Code);
            }
        }

        foreach (var worker in stopping)
        {
            _workers.Remove(worker.Partition);
            _paused.Remove(worker.Partition);
            worker.Dispose();
        }

        LogStopped(logger, string.Join(", ", stopping.Select(w => w.Partition)), commit);
    }

    private void Commit(IConsumer<string?, byte[]> consumer, IEnumerable<PartitionWorker> workers)
    {
        var offsets = workers
            .Select(w => (Worker: w, Next: w.HandledUpTo))
            .Where(x => x.Next > x.Worker.Committed)
            .ToList();
        if (offsets.Count == 0)
        {
            return;
        }

        try
        {
            consumer.Commit(offsets.Select(x => new TopicPartitionOffset(x.Worker.Partition, new Offset(x.Next))));
            foreach (var (worker, next) in offsets)
            {
                worker.Committed = next;
            }
        }
        catch (KafkaException exception)
        {
            // Broker away or a rebalance under way: the offsets are committed next time, or the records come again
            // to whoever owns the partition and the inbox absorbs them.
            LogCommitFailed(logger, exception, exception.Error.Code);
        }
    }

    private void ResumeDrained(IConsumer<string?, byte[]> consumer)
    {
        if (_paused.Count == 0)
        {
            return;
        }

        var drained = _paused.Where(p => _workers.TryGetValue(p, out var w) && w.Buffered <= _options.MaxBufferedPerPartition / 2).ToList();
        if (drained.Count > 0)
        {
            consumer.Resume(drained);
            _paused.ExceptWith(drained);
        }
    }

    public override void Dispose()
    {
        _concurrency.Dispose();
        base.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Kafka consumer group {GroupId} subscribed to {Topics}")]
    private static partial void LogSubscribed(ILogger logger, string groupId, string topics);

    [LoggerMessage(Level = LogLevel.Information, Message = "Kafka consumer group {GroupId} assigned {Partitions}")]
    private static partial void LogAssigned(ILogger logger, string groupId, string partitions);

    [LoggerMessage(Level = LogLevel.Information, Message = "Kafka partitions {Partitions} stopped (offsets committed: {Committed})")]
    private static partial void LogStopped(ILogger logger, string partitions, bool committed);

    [LoggerMessage(Level = LogLevel.Critical, Message = "Kafka consumer of group {GroupId} stopped on a fatal error {Code}: {Reason}; this service no longer consumes until restarted")]
    private static partial void LogFatal(ILogger logger, string groupId, ErrorCode code, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Kafka consume error {Code}")]
    private static partial void LogConsumeError(ILogger logger, Exception exception, ErrorCode code);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Kafka offset commit failed ({Code}); retried at the next interval")]
    private static partial void LogCommitFailed(ILogger logger, Exception exception, ErrorCode code);
}
