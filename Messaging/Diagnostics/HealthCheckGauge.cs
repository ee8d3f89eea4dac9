using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace ConcertBooking.Messaging.Diagnostics;

/// <summary>
/// Every check's latest status as the <c>health.check.status</c> gauge, one series per check (2 healthy, 1 degraded,
/// 0 unhealthy), so that a broker outage or a stuck outbox is alertable from the metrics as well as from
/// <c>/health</c>. Fed by the health check publisher every few seconds: a scrape never waits on a check.
/// </summary>
internal sealed class HealthCheckGauge : IHealthCheckPublisher
{
    private volatile IReadOnlyDictionary<string, HealthStatus> _latest = new Dictionary<string, HealthStatus>();

    public HealthCheckGauge(MessagingMetrics metrics) => metrics.ObserveHealth(() => _latest);

    public Task PublishAsync(HealthReport report, CancellationToken cancellationToken)
    {
        _latest = report.Entries.ToDictionary(e => e.Key, e => e.Value.Status);
        return Task.CompletedTask;
    }
}
