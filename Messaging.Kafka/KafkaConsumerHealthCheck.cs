using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace ConcertBooking.Messaging.Kafka;

/// <summary>Unhealthy once this service's consumer stopped on a fatal error (fenced by a duplicate group.instance.id).</summary>
internal sealed class KafkaConsumerHealthCheck(KafkaConsumerState state) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(state.StoppedBecause is { } reason
            ? new HealthCheckResult(context.Registration.FailureStatus, $"The Kafka consumer stopped: {reason}")
            : HealthCheckResult.Healthy("Consuming, or nothing to consume."));
}
