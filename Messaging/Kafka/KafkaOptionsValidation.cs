using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace ConcertBooking.Messaging.Kafka;

/// <summary>
/// <c>ValidateDataAnnotations</c> does not descend into <see cref="MessagingOptions.Kafka"/>; this does, and checks
/// what librdkafka would otherwise reject only when the first client is built.
/// </summary>
internal sealed class KafkaOptionsValidation : IValidateOptions<MessagingOptions>
{
    public ValidateOptionsResult Validate(string? name, MessagingOptions options)
    {
        if (options.Transport != MessagingTransport.Kafka)
        {
            return ValidateOptionsResult.Skip;
        }

        var kafka = options.Kafka;
        var results = new List<ValidationResult>();
        Validator.TryValidateObject(kafka, new ValidationContext(kafka), results, validateAllProperties: true);
        var failures = results.Select(r => $"Messaging:Kafka: {r.ErrorMessage}").ToList();
        if (kafka.HeartbeatInterval >= kafka.SessionTimeout)
        {
            failures.Add("Messaging:Kafka:HeartbeatInterval must be shorter than SessionTimeout.");
        }

        if (kafka.CommitInterval <= TimeSpan.Zero || kafka.MessageTimeout <= TimeSpan.Zero || kafka.AdminTimeout <= TimeSpan.Zero)
        {
            failures.Add("Messaging:Kafka: CommitInterval, MessageTimeout and AdminTimeout must be positive.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
