using ConcertBooking.Messaging.Diagnostics;
using ConcertBooking.Messaging.Operations;
using Microsoft.Extensions.Logging;

namespace ConcertBooking.Messaging.Housekeeping;

/// <summary>
/// Samples the outbox every few seconds for the pending-count and oldest-age gauges: a scrape must not wait on
/// a database query, and many scrapers must not multiply the load.
/// </summary>
internal sealed class OutboxMonitor : PeriodicJob
{
    private readonly IOutboxStatusReader _reader;
    private volatile OutboxStatus? _latest;

    public OutboxMonitor(IOutboxStatusReader reader, MessagingMetrics metrics, TimeProvider timeProvider, ILogger<OutboxMonitor> logger)
        : base(timeProvider, logger)
    {
        _reader = reader;
        metrics.ObserveOutbox(() => _latest);
    }

    protected override TimeSpan Interval => TimeSpan.FromSeconds(5);

    protected override async Task RunOnceAsync(CancellationToken cancellationToken)
    {
        try
        {
            _latest = await _reader.ReadAsync(cancellationToken);
        }
        catch (Exception) when (!cancellationToken.IsCancellationRequested)
        {
            _latest = null; // no sample rather than a stale one; readiness reports the database itself
        }
    }
}
