namespace ConcertBooking.Testing;

/// <summary>
/// Kafka settings of a system under test, in-process or as processes: timings short enough that a rebalance, a
/// vanished group member or a dead letter takes seconds rather than a deployment's 45 s session timeout.
/// </summary>
public static class KafkaTestSettings
{
    /// <summary>The session timeout on librdkafka's mock cluster, which drops a vanished member only after it.</summary>
    public static readonly TimeSpan MockSessionTimeout = TimeSpan.FromSeconds(3);

    /// <param name="sessionTimeout">By default <see cref="MockSessionTimeout"/>; a real cluster wants a little more.</param>
    public static IReadOnlyList<KeyValuePair<string, string>> Timings(TimeSpan? sessionTimeout = null) =>
    [
        new("Messaging:Kafka:SessionTimeout", (sessionTimeout ?? MockSessionTimeout).ToString("c")),
        new("Messaging:Kafka:HeartbeatInterval", "00:00:00.500"),
        new("Messaging:Kafka:CommitInterval", "00:00:00.200"),
        new("Messaging:Kafka:StopGracePeriod", "00:00:02"),
        new("Messaging:Kafka:AdminTimeout", "00:00:05"),
        new("Messaging:Kafka:DeadLetterRetryDelay", "00:00:00.200"),
        new("Messaging:Outbox:PublishTimeout", "00:00:05"),
        new("Messaging:Kafka:MessageTimeout", "00:00:04"),
    ];
}
