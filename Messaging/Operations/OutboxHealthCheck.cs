using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace ConcertBooking.Messaging.Operations;

/// <summary>
/// The outbox in <c>/health</c> (not in readiness: writes go on into the outbox while events cannot leave, which is
/// what it is for). Unhealthy while the oldest row the relay may publish is older than
/// <see cref="Outbox.OutboxOptions.StuckAfter"/>: events are written but not leaving (broker unreachable, relay stopped
/// or failing). Degraded while rows are parked: each holds back its key's later events until an operator acts.
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
            ["parked"] = status.Parked,
            ["oldestPendingSeconds"] = status.OldestPendingAge?.TotalSeconds ?? 0,
        };

        var problems = new List<string>();
        var stuckAfter = options.Value.Outbox.StuckAfter;
        var stuck = status.OldestPendingAge is { } age && age > stuckAfter;
        if (stuck)
        {
            problems.Add($"The oldest of {Count(status.Pending, status)} pending outbox messages is {status.OldestPendingAge!.Value.TotalSeconds:0} s old " +
                $"(limit {stuckAfter.TotalSeconds:0} s); last error: {status.FailingRows.FirstOrDefault()?.LastError ?? "none recorded"}");
        }

        if (status.Parked > 0)
        {
            problems.Add($"{Count(status.Parked, status)} parked outbox messages hold back their keys' later events until retried or " +
                $"discarded (/ops/outbox/parked); first: {status.ParkedRows[0].LastError}");
        }

        var description = problems.Count > 0 ? string.Join(" ", problems) : $"{Count(status.Pending, status)} pending outbox messages";
        return stuck ? HealthCheckResult.Unhealthy(description, data: data)
            : status.Parked > 0 ? HealthCheckResult.Degraded(description, data: data)
            : HealthCheckResult.Healthy(description, data);
    }

    private static string Count(int count, OutboxStatus status) => count >= status.CountCap ? $"{status.CountCap}+" : count.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
