using System.Diagnostics.Metrics;
using ConcertBooking.Messaging.Diagnostics;

namespace ConcertBooking.UserReplica;

/// <summary>
/// <c>replication.lag</c>: how long after UserService changed a user this replica applied it, per event type. Unlike
/// the delivery lag every consumer records, it exists only where a replica is written.
/// </summary>
public sealed class ReplicationMetrics
{
    private readonly Histogram<double> _lag;

    public ReplicationMetrics(IMeterFactory meterFactory) =>
        _lag = meterFactory.Create(MessagingMetrics.MeterName).CreateHistogram<double>("replication.lag", "ms",
            "From the user's change in UserService to this replica applying it.", advice: MessagingMetrics.LagBuckets);

    public void Applied(string eventType, TimeSpan lag) =>
        _lag.Record(Math.Max(0, lag.TotalMilliseconds), new KeyValuePair<string, object?>("event", eventType));
}
