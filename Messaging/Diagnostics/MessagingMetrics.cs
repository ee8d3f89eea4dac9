using System.Diagnostics;
using System.Diagnostics.Metrics;
using ConcertBooking.Messaging.Operations;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace ConcertBooking.Messaging.Diagnostics;

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
    private readonly Histogram<double> _deliveryLag;
    private readonly Counter<long> _discarded;
    private readonly Histogram<long> _batchSize;
    private readonly Counter<long> _batchesRetriedAlone;

    public MessagingMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(MeterName);
        _published = meter.CreateCounter<long>("outbox.published", "{message}", "Outbox messages confirmed by the broker.");
        _publishFailures = meter.CreateCounter<long>("outbox.dispatch_failures", "{message}", "Outbox publishes that failed and will be retried.");
        _publishDuration = meter.CreateHistogram<double>("outbox.publish.duration", "ms", "Time from publish to broker confirmation.");
        _inboxDuplicates = meter.CreateCounter<long>("inbox.duplicates_dropped", "{message}", "Redelivered messages the inbox acknowledged without effect.");
        _consumed = meter.CreateCounter<long>("inbox.consumed", "{message}", "Messages handled and committed with their inbox entry.");
        _deliveryLag = meter.CreateHistogram<double>("messaging.delivery.lag", "ms",
            "From the message's outbox write to the consumer's commit, for every consumer.", advice: LagBuckets);
        _discarded = meter.CreateCounter<long>("outbox.discarded", "{message}", "Parked outbox messages an operator discarded: never published.");
        _batchSize = meter.CreateHistogram<long>("inbox.batch.size", "{message}", "Deliveries committed together in one inbox transaction.",
            advice: new InstrumentAdvice<long> { HistogramBucketBoundaries = [1, 2, 4, 8, 16, 32, 64, 128] });
        _batchesRetriedAlone = meter.CreateCounter<long>("inbox.batch.retried_alone", "{batch}",
            "Batches rolled back because one delivery failed or was a duplicate, then handled one by one.");
        Meter = meter;
    }

    /// <summary>Bucket boundaries of every lag histogram (ms), from a quiet pipeline's milliseconds to an outage's minutes.</summary>
    public static readonly InstrumentAdvice<double> LagBuckets = new()
    {
        HistogramBucketBoundaries = [1, 2, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000, 30000, 60000, 300000],
    };

    internal Meter Meter { get; }

    internal void ObserveOutbox(Func<OutboxStatus?> latest)
    {
        Meter.CreateObservableGauge("outbox.pending", () => latest() is { } s ? [new Measurement<long>(s.Pending)] : Array.Empty<Measurement<long>>(),
            "{message}", "Outbox messages not yet confirmed by the broker.");
        Meter.CreateObservableGauge("outbox.oldest_pending_age",
            () => latest() is { } s ? [new Measurement<double>(s.OldestPendingAge?.TotalSeconds ?? 0)] : Array.Empty<Measurement<double>>(),
            "s", "Age of the oldest outbox message the relay may publish (parked ones aside): grows when the relay is stuck.");
        Meter.CreateObservableGauge("outbox.parked", () => latest() is { } s ? [new Measurement<long>(s.Parked)] : Array.Empty<Measurement<long>>(),
            "{message}", "Outbox messages the broker refused Outbox:MaxAttempts times, each holding back its key until an operator acts.");
    }

    internal void ObserveHealth(Func<IReadOnlyDictionary<string, HealthStatus>> latest) =>
        Meter.CreateObservableGauge("health.check.status",
            () => latest().Select(check => new Measurement<int>((int)check.Value, new KeyValuePair<string, object?>("check", check.Key))),
            "{status}", "Each health check's latest status: 2 healthy, 1 degraded, 0 unhealthy.");

    public void DeliveryLag(string consumer, TimeSpan lag) =>
        _deliveryLag.Record(Math.Max(0, lag.TotalMilliseconds), new KeyValuePair<string, object?>("consumer", consumer));

    public void Published(string messageType, TimeSpan duration)
    {
        var tag = new KeyValuePair<string, object?>("message_type", messageType);
        _published.Add(1, tag);
        _publishDuration.Record(duration.TotalMilliseconds, tag);
    }

    public void PublishFailed(string messageType) =>
        _publishFailures.Add(1, new KeyValuePair<string, object?>("message_type", messageType));

    public void Discarded(string messageType) =>
        _discarded.Add(1, new KeyValuePair<string, object?>("message_type", messageType));

    public void DuplicateDropped(string consumer) =>
        _inboxDuplicates.Add(1, new KeyValuePair<string, object?>("consumer", consumer));

    public void BatchCommitted(int size) => _batchSize.Record(size);

    public void BatchRetriedAlone() => _batchesRetriedAlone.Add(1);

    public void Consumed(string consumer) =>
        _consumed.Add(1, new KeyValuePair<string, object?>("consumer", consumer));
}
