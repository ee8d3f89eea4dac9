using Microsoft.Extensions.Options;

namespace ConcertBooking.Messaging.Kafka;

/// <summary>
/// The producer gives up on a record before the relay's publish timeout: the publisher follows a record it handed to the
/// client to its delivery report (a record left queued could be delivered after another relay had published the row
/// again and the key's next event, and a compacted topic keeps a key's last record), so the producer's timeout is what
/// bounds the relay's wait. What no setting covers: a record already sent whose answer did not come in time
/// ("possibly persisted") may still be written by the broker later.
/// </summary>
internal sealed class KafkaDeliveryTimeoutValidation(IOptions<MessagingOptions> messaging) : IValidateOptions<KafkaOptions>
{
    /// <summary>librdkafka looks for timed-out records about once a second, so a record may outlive its timeout by that.</summary>
    public static readonly TimeSpan TimeoutScanInterval = TimeSpan.FromSeconds(1);

    public ValidateOptionsResult Validate(string? name, KafkaOptions options)
    {
        var publishTimeout = messaging.Value.Outbox.PublishTimeout;
        return options.MessageTimeout + TimeoutScanInterval <= publishTimeout
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail(
                $"{KafkaOptions.SectionName}:MessageTimeout ({options.MessageTimeout}) must be at least {TimeoutScanInterval.TotalSeconds:0} s shorter " +
                $"than {MessagingOptions.SectionName}:Outbox:PublishTimeout ({publishTimeout}): the relay waits for each record's delivery " +
                "report, which the producer's timeout bounds.");
    }
}
