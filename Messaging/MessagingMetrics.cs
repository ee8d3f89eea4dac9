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

    public MessagingMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(MeterName);
        _published = meter.CreateCounter<long>("outbox.published", "{message}", "Outbox messages confirmed by the broker.");
        _publishFailures = meter.CreateCounter<long>("outbox.dispatch_failures", "{message}", "Outbox publishes that failed and will be retried.");
        _publishDuration = meter.CreateHistogram<double>("outbox.publish.duration", "ms", "Time from publish to broker confirmation.");
        _inboxDuplicates = meter.CreateCounter<long>("inbox.duplicates_dropped", "{message}", "Redelivered messages the inbox acknowledged without effect.");
        _consumed = meter.CreateCounter<long>("inbox.consumed", "{message}", "Messages handled and committed with their inbox entry.");
    }

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
