using System.Diagnostics.Metrics;
using ConcertBooking.Messaging.Diagnostics;

namespace ConcertBooking.Messaging.Kafka;

/// <summary>The Kafka transport's own instruments, on the messaging meter.</summary>
internal sealed class KafkaMetrics
{
    private readonly Counter<long> _producerRebuilds;

    public KafkaMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(MessagingMetrics.MeterName);
        _producerRebuilds = meter.CreateCounter<long>("kafka.producer.rebuilds", "{producer}",
            "Producers replaced after a fatal error; their unconfirmed records stay pending in the outbox.");
    }

    public void ProducerRebuilt() => _producerRebuilds.Add(1);
}
