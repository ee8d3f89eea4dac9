using System.Collections.Concurrent;
using Confluent.Kafka;

namespace ConcertBooking.Messaging.Kafka;

/// <summary>
/// The records whose dead-letter write is failing right now. A dead letter is retried until it is written (skipping it
/// would lose the record), and its partition waits; this is what makes that visible, in <c>/health</c> and a gauge.
/// </summary>
internal sealed class KafkaDeadLetterWrites
{
    private readonly ConcurrentDictionary<TopicPartitionOffset, FailingWrite> _failing = new();

    public int Waiting => _failing.Count;

    public IReadOnlyList<FailingWrite> Failing => [.. _failing.Values.OrderBy(f => f.Since)];

    public void Failed(TopicPartitionOffset record, FailingWrite write) => _failing[record] = write;

    public void Finished(TopicPartitionOffset record) => _failing.TryRemove(record, out _);
}
