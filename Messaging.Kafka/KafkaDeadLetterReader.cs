using System.Globalization;
using System.Text;
using ConcertBooking.Messaging.Operations;
using Confluent.Kafka;
using Microsoft.Extensions.Options;

namespace ConcertBooking.Messaging.Kafka;

/// <summary>
/// The operator's view of this service's dead letters on Kafka: the records of its consumer group in the
/// <c>.dlt</c> topics of the topics it consumes. Replaying all writes them back to their original topics and
/// commits the position in a group of its own (<c>&lt;group&gt;.dlt-replay</c>), so a record is replayed once;
/// replaying one by id leaves that position alone. Every group reading the original topic sees a replayed record:
/// the inboxes make that harmless where it had succeeded.
/// </summary>
internal sealed class KafkaDeadLetterReader(
    KafkaSubscriptions subscriptions,
    KafkaTopics topics,
    KafkaProducerHost producer,
    KafkaTopicAdmin admin,
    IOptions<KafkaOptions> options) : IDeadLetters
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);
    private readonly string _groupId = options.Value.GroupId!;

    public Task<IReadOnlyList<DeadLetter>> ListAsync(int max, CancellationToken cancellationToken) =>
        Task.Run<IReadOnlyList<DeadLetter>>(() =>
        {
            using var consumer = ReplayConsumer();
            return [.. Read(consumer, fromCommitted: true, cancellationToken).Take(max).Select(ToDeadLetter)];
        }, cancellationToken);

    public async Task<int> ReplayAsync(Guid? messageId, CancellationToken cancellationToken)
    {
        using var consumer = ReplayConsumer();
        var records = await Task.Run(() => Read(consumer, fromCommitted: messageId is null, cancellationToken), cancellationToken);
        var replayed = 0;
        foreach (var record in records.Where(r => messageId is null || Header(r, KafkaHeaders.MessageId) == messageId.ToString()))
        {
            var original = Header(record, KafkaHeaders.OriginalTopic) ?? record.Topic[..^options.Value.DeadLetterSuffix.Length];
            var headers = new Headers();
            foreach (var header in record.Message.Headers.Where(h => !h.Key.StartsWith("dlt-", StringComparison.Ordinal)))
            {
                headers.Add(header.Key, header.GetValueBytes());
            }

            await producer.Producer.ProduceAsync(original,
                new Message<string?, byte[]> { Key = record.Message.Key, Value = record.Message.Value, Headers = headers }, cancellationToken);
            replayed++;
        }

        if (messageId is null && records.Count > 0)
        {
            // Only after every replayed record was confirmed: a failed replay is retried, never lost.
            consumer.Commit(records.GroupBy(r => r.TopicPartition)
                .Select(g => new TopicPartitionOffset(g.Key, new Offset(g.Max(r => r.Offset.Value) + 1))));
        }

        return replayed;
    }

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
        var ends = partitions.ToDictionary(p => p, p => consumer.QueryWatermarkOffsets(p, Timeout).High.Value);
        var starts = fromCommitted
            ? consumer.Committed(partitions, Timeout).ToDictionary(c => c.TopicPartition, c => c.Offset)
            : partitions.ToDictionary(p => p, _ => Offset.Beginning);
        var pending = partitions.Where(p => ends[p] > (starts[p].Value < 0 ? 0 : starts[p].Value)).ToHashSet();
        var records = new List<ConsumeResult<string?, byte[]>>();
        if (pending.Count == 0)
        {
            return records;
        }

        consumer.Assign(pending.Select(p => new TopicPartitionOffset(p, starts[p].Value < 0 ? Offset.Beginning : starts[p])));
        var deadline = DateTime.UtcNow + Timeout;
        while (pending.Count > 0 && DateTime.UtcNow < deadline)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (consumer.Consume(TimeSpan.FromMilliseconds(100)) is not { IsPartitionEOF: false } record)
            {
                continue;
            }

            if (Header(record, KafkaHeaders.ConsumerGroup) == _groupId)
            {
                records.Add(record);
            }

            if (record.Offset.Value + 1 >= ends[record.TopicPartition])
            {
                pending.Remove(record.TopicPartition);
            }
        }

        return records;
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
}
