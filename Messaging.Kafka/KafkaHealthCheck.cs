using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace ConcertBooking.Messaging.Kafka;

/// <summary>
/// Whether the Kafka cluster answers. Registered as Degraded on failure, not Unhealthy: with the outbox the service
/// still accepts writes while the broker is away (events wait in the outbox), so it should stay in rotation, but the
/// outage must be visible on /health/ready.
/// </summary>
internal sealed class KafkaHealthCheck(KafkaTopicAdmin admin) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            var brokers = await Task.Run(() => admin.BrokersReachable(TimeSpan.FromSeconds(3)), cancellationToken);
            return brokers > 0
                ? HealthCheckResult.Healthy($"{brokers} broker(s) reachable.")
                : new HealthCheckResult(context.Registration.FailureStatus, "The cluster answered without brokers.");
        }
        catch (Confluent.Kafka.KafkaException exception)
        {
            return new HealthCheckResult(context.Registration.FailureStatus, "The Kafka cluster does not answer.", exception);
        }
    }
}
