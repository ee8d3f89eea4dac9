using System.Diagnostics.Metrics;
using ConcertBooking.Messaging.Diagnostics;

namespace ConcertBooking.Messaging.Kafka;

/// <summary>The Kafka transport's own instruments, on the messaging meter.</summary>
internal sealed class KafkaMetrics
{
    private readonly Counter<long> _deadLetterWriteFailures;
    private readonly Counter<long> _producerRebuilds;

    public KafkaMetrics(IMeterFactory meterFactory, KafkaDeadLetterWrites deadLetterWrites)
    {
        var meter = meterFactory.Create(MessagingMetrics.MeterName);
        _deadLetterWriteFailures = meter.CreateCounter<long>("kafka.dead_letter.write_failures", "{write}",
            "Dead-letter writes that failed and will be tried again; the record's partition waits meanwhile.");
        _producerRebuilds = meter.CreateCounter<long>("kafka.producer.rebuilds", "{producer}",
            "Producers replaced after a fatal error; their unconfirmed records stay pending in the outbox.");
        meter.CreateObservableGauge("kafka.dead_letter.waiting", () => deadLetterWrites.Waiting, "{record}",
            "Records whose dead letter could not be written yet: each holds its partition.");
    }

    public void DeadLetterWriteFailed(string topic) =>
        _deadLetterWriteFailures.Add(1, new KeyValuePair<string, object?>("topic", topic));

    public void ProducerRebuilt() => _producerRebuilds.Add(1);
}
