using MassTransit;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace ConcertBooking.Messaging.Operations;

/// <summary>
/// The bus in <c>/health</c>: unhealthy while any receive endpoint is down (the broker unreachable, a queue gone).
/// MassTransit's own check calls that Degraded as long as some endpoint (its bus endpoint) is fine, which would make a
/// broker outage read as a 200 to alerting; this one replaces it. A publishing-only service has no receive endpoint:
/// its broker outage shows in the outbox check, as events that stop leaving.
/// </summary>
internal sealed class BusHealthCheck(IBusControl bus) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var result = bus.CheckHealth();
        var data = result.Endpoints.ToDictionary(e => e.Key, e => (object)$"{e.Value.Status}: {e.Value.Description}");
        var down = result.Endpoints.Where(e => e.Value.Status == BusHealthStatus.Unhealthy).ToList();
        if (down.Count > 0)
        {
            return Task.FromResult(new HealthCheckResult(context.Registration.FailureStatus,
                $"{down.Count} of {result.Endpoints.Count} receive endpoints down: {down[0].Value.Description}", down[0].Value.Exception, data));
        }

        return Task.FromResult(result.Status switch
        {
            BusHealthStatus.Healthy => HealthCheckResult.Healthy(result.Description, data),
            BusHealthStatus.Degraded => HealthCheckResult.Degraded(result.Description, result.Exception, data),
            _ => new HealthCheckResult(context.Registration.FailureStatus, result.Description, result.Exception, data),
        });
    }
}
