using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace ConcertBooking.Messaging;

/// <summary>The messaging instruments, on one meter that the service's telemetry exports.</summary>
public sealed class MessagingMetrics
{
    public const string MeterName = "ConcertBooking.Messaging";
    public static readonly ActivitySource ActivitySource = new(MeterName);

    private readonly Counter<long> _published;
    private readonly Counter<long> _publishFailures;
    private readonly Histogram<double> _publishDuration;
    private readonly Counter<long> _inboxDuplicates;
    private readonly Counter<long> _consumed;
    private readonly Histogram<double> _replicationLag;

    public MessagingMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(MeterName);
        _published = meter.CreateCounter<long>("outbox.published", "{message}", "Outbox messages confirmed by the broker.");
        _publishFailures = meter.CreateCounter<long>("outbox.dispatch_failures", "{message}", "Outbox publishes that failed and will be retried.");
        _publishDuration = meter.CreateHistogram<double>("outbox.publish.duration", "ms", "Time from publish to broker confirmation.");
        _inboxDuplicates = meter.CreateCounter<long>("inbox.duplicates_dropped", "{message}", "Redelivered messages the inbox acknowledged without effect.");
        _consumed = meter.CreateCounter<long>("inbox.consumed", "{message}", "Messages handled and committed with their inbox entry.");
        _replicationLag = meter.CreateHistogram<double>("replication.lag", "ms",
            "From the event's outbox write to the consumer's commit.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [1, 2, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000, 30000] });
        Meter = meter;
    }

    internal Meter Meter { get; }

    private volatile IReadOnlyList<(string Topic, int Partition, long Lag)> _kafkaLag = [];
    private int _kafkaLagObserved;

    /// <summary>The Kafka consumer's latest lag per partition; the gauge appears with the first report.</summary>
    internal void ReportKafkaLag(IReadOnlyList<(string Topic, int Partition, long Lag)> lags)
    {
        _kafkaLag = lags;
        if (Interlocked.Exchange(ref _kafkaLagObserved, 1) == 0)
        {
            Meter.CreateObservableGauge("kafka.consumer.lag", () => _kafkaLag.Select(l => new Measurement<long>(l.Lag,
                    new KeyValuePair<string, object?>("topic", l.Topic), new KeyValuePair<string, object?>("partition", l.Partition))),
                "{record}", "Records in a partition not yet handled by this consumer group.");
        }
    }

    internal void ObserveOutbox(Func<Operations.OutboxStatus?> latest)
    {
        Meter.CreateObservableGauge("outbox.pending", () => latest() is { } s ? [new Measurement<long>(s.Pending)] : Array.Empty<Measurement<long>>(),
            "{message}", "Outbox messages not yet confirmed by the broker.");
        Meter.CreateObservableGauge("outbox.oldest_pending_age",
            () => latest() is { } s ? [new Measurement<double>(s.OldestPendingAge?.TotalSeconds ?? 0)] : Array.Empty<Measurement<double>>(),
            "s", "Age of the oldest undispatched outbox message: grows when the relay is stuck.");
    }

    public void ReplicationLag(string consumer, TimeSpan lag) =>
        _replicationLag.Record(Math.Max(0, lag.TotalMilliseconds), new KeyValuePair<string, object?>("consumer", consumer));

    public void Published(string messageType, TimeSpan duration)
    {
        var tag = new KeyValuePair<string, object?>("message_type", messageType);
        _published.Add(1, tag);
        _publishDuration.Record(duration.TotalMilliseconds, tag);
    }

    public void PublishFailed(string messageType) =>
        _publishFailures.Add(1, new KeyValuePair<string, object?>("message_type", messageType));

    public void DuplicateDropped(string consumer) =>
        _inboxDuplicates.Add(1, new KeyValuePair<string, object?>("consumer", consumer));

    public void Consumed(string consumer) =>
        _consumed.Add(1, new KeyValuePair<string, object?>("consumer", consumer));
}
