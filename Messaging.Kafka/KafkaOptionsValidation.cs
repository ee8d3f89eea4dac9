using Microsoft.Extensions.Options;

namespace ConcertBooking.Messaging.Kafka;

/// <summary>What the annotations cannot say: settings librdkafka would otherwise reject only when the first client is built.</summary>
internal sealed class KafkaOptionsValidation : IValidateOptions<KafkaOptions>
{
    public ValidateOptionsResult Validate(string? name, KafkaOptions options)
    {
        var failures = new List<string>();
        if (options.HeartbeatInterval >= options.SessionTimeout)
        {
            failures.Add($"{KafkaOptions.SectionName}:HeartbeatInterval must be shorter than {KafkaOptions.SectionName}:SessionTimeout.");
        }

        if (options.CommitInterval <= TimeSpan.Zero || options.MessageTimeout <= TimeSpan.Zero || options.AdminTimeout <= TimeSpan.Zero)
        {
            failures.Add($"{KafkaOptions.SectionName}: CommitInterval, MessageTimeout and AdminTimeout must be positive.");
        }

        if (options.DeadLetterRetryDelay <= TimeSpan.Zero || options.DeadLetterRetryMaxDelay < options.DeadLetterRetryDelay)
        {
            failures.Add($"{KafkaOptions.SectionName}:DeadLetterRetryDelay must be positive and at most {KafkaOptions.SectionName}:DeadLetterRetryMaxDelay.");
        }

        if (options.FetchWaitMax is { } fetchWait && (fetchWait < TimeSpan.Zero || fetchWait > TimeSpan.FromMinutes(5)))
        {
            failures.Add($"{KafkaOptions.SectionName}:FetchWaitMax must be between 0 and 5 minutes (librdkafka's range).");
        }

        // Unset, it defaults to the service and host name; set blank, no instance could tell itself from another.
        if (options.StaticMembership && options.GroupInstanceId is { } instanceId && string.IsNullOrWhiteSpace(instanceId))
        {
            failures.Add($"{KafkaOptions.SectionName}:GroupInstanceId must not be blank while {KafkaOptions.SectionName}:StaticMembership is on.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
