using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace ConcertBooking.Messaging.Operations;

/// <summary>
/// The outbox in <c>/health</c> (not in readiness: writes go on into the outbox while events cannot leave, which is
/// what it is for). Unhealthy while the oldest pending outbox row is older than <see cref="Outbox.OutboxOptions.StuckAfter"/>:
/// events are being written but not leaving (broker unreachable, relay stopped or failing), and replicas fall behind.
/// </summary>
internal sealed class OutboxHealthCheck<TDbContext>(
    IServiceScopeFactory scopeFactory, IOptions<MessagingOptions> options, TimeProvider timeProvider) : IHealthCheck
    where TDbContext : DbContext
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        await using var scope = scopeFactory.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TDbContext>();
        var status = await OutboxStatusQuery.ReadAsync(db, timeProvider.GetUtcNow(), cancellationToken);
        var data = new Dictionary<string, object>
        {
            ["pending"] = status.Pending,
            ["failing"] = status.Failing,
            ["oldestPendingSeconds"] = status.OldestPendingAge?.TotalSeconds ?? 0,
        };

        var stuckAfter = options.Value.Outbox.StuckAfter;
        return status.OldestPendingAge is { } age && age > stuckAfter
            ? HealthCheckResult.Unhealthy(
                $"The oldest of {status.Pending} pending outbox messages is {age.TotalSeconds:0} s old (limit {stuckAfter.TotalSeconds:0} s); " +
                $"last error: {status.RecentlyFailing.FirstOrDefault()?.LastError ?? "none recorded"}", data: data)
            : HealthCheckResult.Healthy($"{status.Pending} pending outbox messages", data);
    }
}
