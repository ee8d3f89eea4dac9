using System.Diagnostics.Metrics;
using ConcertBooking.Messaging.Diagnostics;

namespace ConcertBooking.Messaging.Kafka;

/// <summary>
/// The <c>kafka.consumer.lag</c> gauge: records not yet handled per assigned partition, on the messaging meter. It
/// appears with the consumer's first report, so a service that consumes nothing shows no empty gauge.
/// </summary>
internal sealed class KafkaConsumerLag(IMeterFactory meterFactory)
{
    private volatile IReadOnlyList<(string Topic, int Partition, long Lag)> _latest = [];
    private int _observed;

    public void Report(IReadOnlyList<(string Topic, int Partition, long Lag)> lags)
    {
        _latest = lags;
        if (Interlocked.Exchange(ref _observed, 1) == 0)
        {
            meterFactory.Create(MessagingMetrics.MeterName).CreateObservableGauge("kafka.consumer.lag",
                () => _latest.Select(l => new Measurement<long>(l.Lag,
                    new KeyValuePair<string, object?>("topic", l.Topic), new KeyValuePair<string, object?>("partition", l.Partition))),
                "{record}", "Records in a partition not yet handled by this consumer group.");
        }
    }
}
