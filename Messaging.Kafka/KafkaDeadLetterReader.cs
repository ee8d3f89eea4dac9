using System.Globalization;
using System.Text;
using ConcertBooking.Messaging.Operations;
using Confluent.Kafka;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ConcertBooking.Messaging.Kafka;

/// <summary>
/// The operator's view of this service's dead letters on Kafka: the records of its consumer group in the
/// <c>.dlt</c> topics of the topics it consumes. Replaying all writes them back to their original topics and
/// commits the position in a group of its own (<c>&lt;group&gt;.dlt-replay</c>), so a record is replayed once;
/// replaying one by id leaves that position alone. Every group reading the original topic sees a replayed record:
/// the inboxes make that harmless where it had succeeded. On a compacted topic a dead letter whose key has a newer
/// record in its partition is not replayed but counted as superseded (<see cref="ReplayResult.Superseded"/>).
/// </summary>
internal sealed partial class KafkaDeadLetterReader(
    KafkaSubscriptions subscriptions,
    KafkaTopics topics,
    KafkaProducerHost producer,
    KafkaTopicAdmin admin,
    IOptions<KafkaOptions> options,
    ILogger<KafkaDeadLetterReader> logger) : IDeadLetters
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);
    private readonly string _groupId = options.Value.GroupId!;

    public Task<IReadOnlyList<DeadLetter>> ListAsync(int max, CancellationToken cancellationToken) =>
        Task.Run<IReadOnlyList<DeadLetter>>(() =>
        {
            try
            {
                using var consumer = ReplayConsumer();
                return [.. Read(consumer, fromCommitted: true, cancellationToken).Take(max).Select(ToDeadLetter)];
            }
            catch (KafkaException exception)
            {
                throw new DeadLettersUnavailableException($"Kafka did not answer ({exception.Error.Reason}): ask again.", exception);
            }
        }, cancellationToken);

    public async Task<ReplayResult> ReplayAsync(Guid? messageId, CancellationToken cancellationToken)
    {
        try
        {
            return await ReplayOrThrowAsync(messageId, cancellationToken);
        }
        catch (KafkaException exception)
        {
            throw new DeadLettersUnavailableException($"Kafka did not answer ({exception.Error.Reason}). The replay stopped without " +
                "moving its position: ask again (a dead letter written back twice is absorbed by the inboxes).", exception);
        }
    }

    private async Task<ReplayResult> ReplayOrThrowAsync(Guid? messageId, CancellationToken cancellationToken)
    {
        using var consumer = ReplayConsumer();
        var records = await Task.Run(() => Read(consumer, fromCommitted: messageId is null, cancellationToken), cancellationToken);
        var chosen = records.Where(r => messageId is null || Header(r, KafkaHeaders.MessageId) == messageId.ToString()).ToList();
        var newest = await Task.Run(() => NewestOfKeys(chosen, cancellationToken), cancellationToken);
        var (replayed, superseded) = (0, 0);
        foreach (var record in chosen)
        {
            var original = OriginalTopic(record);
            var position = OriginalPosition(record);
            if (position is not null && record.Message.Key is { } key
                && newest.TryGetValue((position.TopicPartition, key), out var newestOffset) && newestOffset > position.Offset.Value)
            {
                // On a compacted topic the key's last record stands for its state: written again, this old one would
                // become it. The group it failed in reads the newer one, which carries the whole state.
                superseded++;
                LogSuperseded(logger, Header(record, KafkaHeaders.MessageId), original, newestOffset);
                continue;
            }

            var headers = new Headers();
            foreach (var header in record.Message.Headers.Where(h => !h.Key.StartsWith("dlt-", StringComparison.Ordinal)))
            {
                headers.Add(header.Key, header.GetValueBytes());
            }

            // Back to the partition it failed on, the one checked above for newer records of its key (a partitioner
            // could choose another, say after partitions were added).
            await producer.Producer.ProduceAsync(new TopicPartition(original, position?.Partition ?? Partition.Any),
                new Message<string?, byte[]> { Key = record.Message.Key, Value = record.Message.Value, Headers = headers }, cancellationToken);
            replayed++;
        }

        if (messageId is null && records.Count > 0)
        {
            // Only after every replayed record was confirmed: a failed replay is retried, never lost.
            consumer.Commit(records.GroupBy(r => r.TopicPartition)
                .Select(g => new TopicPartitionOffset(g.Key, new Offset(g.Max(r => r.Offset.Value) + 1))));
        }

        return new ReplayResult(replayed, superseded);
    }

    /// <summary>
    /// For the dead letters of compacted topics, the offset of the newest record of each of their keys in the partition
    /// they failed on, read from the oldest of them to the partition's end as it was when asked (a newer record written
    /// after that is not seen: a replay races the key's live writers as any write does). A partition not read to its end
    /// within the time limit stops the replay before anything is written back, since its dead letters could be neither
    /// skipped nor replayed safely.
    /// </summary>
    private Dictionary<(TopicPartition Partition, string Key), long> NewestOfKeys(
        List<ConsumeResult<string?, byte[]>> deadLetters, CancellationToken cancellationToken)
    {
        var found = new Dictionary<(TopicPartition, string), long>();
        var compacted = deadLetters
            .Where(r => r.Message.Key is not null && topics.CleanupPolicy(OriginalTopic(r)) == KafkaCleanupPolicy.Compact)
            .Select(r => (Position: OriginalPosition(r), Key: r.Message.Key!))
            .Where(x => x.Position is not null)
            .GroupBy(x => x.Position!.TopicPartition)
            .ToDictionary(g => g.Key, g => (From: g.Min(x => x.Position!.Offset.Value) + 1, Keys: g.Select(x => x.Key).ToHashSet()));
        if (compacted.Count == 0)
        {
            return found;
        }

        using var reader = ReplayConsumer();
        var unread = ReadToEnds(reader, compacted.ToDictionary(c => c.Key, c => new Offset(c.Value.From)), record =>
        {
            if (record.Message.Key is { } key && compacted[record.TopicPartition].Keys.Contains(key))
            {
                found[(record.TopicPartition, key)] = record.Offset.Value;
            }
        }, cancellationToken);
        if (unread.Count > 0)
        {
            throw new DeadLettersUnavailableException($"{string.Join(", ", unread)} could not be read to its end within {Timeout.TotalSeconds:0} s, " +
                "so whether newer records of their keys supersede these dead letters is unknown. Nothing was replayed: ask again.");
        }

        return found;
    }

    private string OriginalTopic(ConsumeResult<string?, byte[]> record) =>
        Header(record, KafkaHeaders.OriginalTopic) ?? record.Topic[..^options.Value.DeadLetterSuffix.Length];

    /// <summary>Where the record was when it failed, from the dead letter's headers; null when they are missing.</summary>
    private TopicPartitionOffset? OriginalPosition(ConsumeResult<string?, byte[]> record) =>
        int.TryParse(Header(record, KafkaHeaders.OriginalPartition), NumberStyles.Integer, CultureInfo.InvariantCulture, out var partition)
        && long.TryParse(Header(record, KafkaHeaders.OriginalOffset), NumberStyles.Integer, CultureInfo.InvariantCulture, out var offset)
            ? new TopicPartitionOffset(OriginalTopic(record), partition, offset)
            : null;

    private IConsumer<string?, byte[]> ReplayConsumer() =>
        new ConsumerBuilder<string?, byte[]>(KafkaClientConfig.Apply(new ConsumerConfig
        {
            GroupId = _groupId + ".dlt-replay",
            EnableAutoCommit = false,
            AutoOffsetReset = AutoOffsetReset.Earliest,
        }, options.Value)).Build();

    /// <summary>This group's dead letters, from the replay position (or the beginning) to the current end of each partition.</summary>
    private List<ConsumeResult<string?, byte[]>> Read(IConsumer<string?, byte[]> consumer, bool fromCommitted, CancellationToken cancellationToken)
    {
        var partitions = subscriptions.MessageTypes.Keys.Select(topics.DeadLetter)
            .SelectMany(topic => Enumerable.Range(0, admin.PartitionCount(topic, Timeout)).Select(p => new TopicPartition(topic, p)))
            .ToList();
        var starts = fromCommitted
            ? consumer.Committed(partitions, Timeout).ToDictionary(c => c.TopicPartition, c => c.Offset.Value < 0 ? Offset.Beginning : c.Offset)
            : partitions.ToDictionary(p => p, _ => Offset.Beginning);
        var records = new List<ConsumeResult<string?, byte[]>>();
        ReadToEnds(consumer, starts, record =>
        {
            if (Header(record, KafkaHeaders.ConsumerGroup) == _groupId)
            {
                records.Add(record);
            }
        }, cancellationToken);
        return records;
    }

    /// <summary>
    /// Reads each partition from its start to its end as it is now, within <see cref="Timeout"/>, handing every record
    /// to <paramref name="read"/>; returns the partitions it did not read to their end in that time.
    /// </summary>
    private static HashSet<TopicPartition> ReadToEnds(IConsumer<string?, byte[]> consumer, Dictionary<TopicPartition, Offset> starts,
        Action<ConsumeResult<string?, byte[]>> read, CancellationToken cancellationToken)
    {
        var ends = starts.Keys.ToDictionary(p => p, p => consumer.QueryWatermarkOffsets(p, Timeout).High.Value);
        var pending = starts.Keys.Where(p => ends[p] > Math.Max(starts[p].Value, 0)).ToHashSet();
        if (pending.Count == 0)
        {
            return pending;
        }

        consumer.Assign(pending.Select(p => new TopicPartitionOffset(p, starts[p])));
        var deadline = DateTime.UtcNow + Timeout;
        while (pending.Count > 0 && DateTime.UtcNow < deadline)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (consumer.Consume(TimeSpan.FromMilliseconds(100)) is not { IsPartitionEOF: false } record)
            {
                continue;
            }

            read(record);
            if (record.Offset.Value + 1 >= ends[record.TopicPartition])
            {
                pending.Remove(record.TopicPartition);
            }
        }

        return pending;
    }

    private static DeadLetter ToDeadLetter(ConsumeResult<string?, byte[]> record) => new(
        Guid.TryParse(Header(record, KafkaHeaders.MessageId), out var id) ? id : null,
        record.Topic,
        Header(record, KafkaHeaders.MessageType),
        Header(record, KafkaHeaders.ExceptionType),
        Header(record, KafkaHeaders.ExceptionMessage),
        DateTimeOffset.TryParse(Header(record, KafkaHeaders.FailedAt), CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var at) ? at : null);

    private static string? Header(ConsumeResult<string?, byte[]> record, string name) =>
        record.Message.Headers is { } headers && headers.TryGetLastBytes(name, out var value) ? Encoding.UTF8.GetString(value) : null;

    [LoggerMessage(Level = LogLevel.Information, Message = "Dead letter {MessageId} of {Topic} not replayed: its key has a newer record at offset {NewerOffset}, which a compacted topic keeps as the key's state")]
    private static partial void LogSuperseded(ILogger logger, string? messageId, string topic, long newerOffset);
}
