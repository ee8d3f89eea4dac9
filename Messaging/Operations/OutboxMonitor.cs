using Microsoft.Extensions.Hosting;

namespace ConcertBooking.Messaging.Operations;

/// <summary>
/// Samples the outbox every few seconds for the pending-count and oldest-age gauges: a scrape must not wait on
/// a database query, and many scrapers must not multiply the load.
/// </summary>
internal sealed class OutboxMonitor(IOutboxStatusReader reader, MessagingMetrics metrics, TimeProvider timeProvider) : BackgroundService
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(5);
    private volatile OutboxStatus? _latest;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        metrics.ObserveOutbox(() => _latest);
        using var timer = new PeriodicTimer(Interval, timeProvider);
        do
        {
            try
            {
                _latest = await reader.ReadAsync(stoppingToken);
            }
            catch (Exception) when (!stoppingToken.IsCancellationRequested)
            {
                _latest = null; // no sample rather than a stale one; readiness reports the database itself
            }
        }
        while (await NextTickAsync(timer, stoppingToken));
    }

    private static async Task<bool> NextTickAsync(PeriodicTimer timer, CancellationToken cancellationToken)
    {
        try
        {
            return await timer.WaitForNextTickAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }
}
