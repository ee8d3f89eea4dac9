using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace ConcertBooking.Messaging.Kafka;

/// <summary>
/// Whether the Kafka cluster answers a metadata request. In <c>/health</c>, not readiness: while the cluster is away the
/// service still takes writes (its events wait in the outbox), so it stays in rotation, and the outage is visible here,
/// in the <c>health.check.status</c> gauge and on the status page.
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
