using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace ConcertBooking.Messaging.Kafka;

/// <summary>
/// Unhealthy once this service's consumer stopped on a fatal error (fenced by a duplicate group.instance.id), or while
/// a partition's worker keeps failing and its records wait.
/// </summary>
internal sealed class KafkaConsumerHealthCheck(KafkaConsumerState state) : IHealthCheck
{
    private const int ListedPartitions = 5, ReasonLength = 300;

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (state.StoppedBecause is { } reason)
        {
            return Task.FromResult(new HealthCheckResult(context.Registration.FailureStatus, $"The Kafka consumer stopped: {reason}"));
        }

        var failing = state.FailingPartitions.OrderBy(p => p.Key, StringComparer.Ordinal).ToList();
        // Bounded: a failure's message can be long, and many partitions can fail at once.
        var named = failing.Take(ListedPartitions).Select(p => $"{p.Key}: {(p.Value.Length > ReasonLength ? p.Value[..ReasonLength] + "…" : p.Value)}");
        var more = failing.Count > ListedPartitions ? $"; and {failing.Count - ListedPartitions} more" : "";
        return Task.FromResult(failing.Count > 0
            ? new HealthCheckResult(context.Registration.FailureStatus,
                $"{failing.Count} Kafka partitions make no progress, retried with a back-off: {string.Join("; ", named)}{more}")
            : HealthCheckResult.Healthy("Consuming, or nothing to consume."));
    }
}
