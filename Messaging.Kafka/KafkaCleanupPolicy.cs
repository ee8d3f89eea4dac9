namespace ConcertBooking.Messaging.Kafka;

/// <summary>What the broker does with a topic's old records (Kafka's <c>cleanup.policy</c>).</summary>
public enum KafkaCleanupPolicy
{
    /// <summary>Records are deleted after the topic's retention (the broker's default).</summary>
    Delete,

    /// <summary>
    /// At least the newest record of every key is kept for good: a consumer group that starts later still reads the
    /// latest record of each key, which for a stream of whole-state events is the latest state.
    /// </summary>
    Compact,
}
