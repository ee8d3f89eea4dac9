using Microsoft.Extensions.Options;

namespace ConcertBooking.Messaging.Kafka;

/// <summary>
/// The producer gives up on a record before the relay gives up on its row: the publisher follows a record it handed to
/// the client to its delivery report, and the relay's publish timeout still holds. A record left queued in one relay's
/// producer could be delivered after another instance had published the row again and the key's next event: the key's
/// last record would then be an older event, and a compacted topic keeps only that. What no setting covers: a record
/// already sent whose answer did not come in time ("possibly persisted") may still be written by the broker later.
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
                $"than {MessagingOptions.SectionName}:Outbox:PublishTimeout ({publishTimeout}): a record the relay gave up on could " +
                "otherwise still be delivered after the next event of its key.");
    }
}
