using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace ConcertBooking.Messaging.Kafka;

/// <summary>Unhealthy while a dead-letter write keeps failing: the record's partition waits until it is written.</summary>
internal sealed class KafkaDeadLetterHealthCheck(KafkaDeadLetterWrites writes, TimeProvider timeProvider) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var failing = writes.Failing;
        if (failing.Count == 0)
        {
            return Task.FromResult(HealthCheckResult.Healthy("No dead-letter write is failing."));
        }

        var oldest = failing[0];
        var data = new Dictionary<string, object> { ["waiting"] = failing.Count, ["attempts"] = oldest.Attempts };
        return Task.FromResult(new HealthCheckResult(context.Registration.FailureStatus,
            $"{failing.Count} record(s) wait for their dead letter, and their partitions with them (nothing is skipped): " +
            $"{oldest.Record} to {oldest.Topic} failing for {(timeProvider.GetUtcNow() - oldest.Since).TotalSeconds:0} s, " +
            $"{oldest.Attempts} attempts, last: {oldest.LastError}", data: data));
    }
}
