namespace ConcertBooking.Messaging.Kafka;

/// <summary>
/// Several message types on one topic, declared where the system is composed rather than by the messages. Kafka
/// orders records only within a partition of one topic, so types whose order per key matters share a topic, keyed by
/// the outbox partition key; the consumers tell them apart by the <c>message-type</c> header. A
/// <see cref="KafkaCleanupPolicy.Compact"/> route keeps the newest record of every key, so a consumer group that joins
/// later replays the latest state of each key from the topic itself.
/// </summary>
/// <param name="Topic">The topic's name, before <see cref="KafkaOptions.TopicPrefix"/>.</param>
public sealed record KafkaTopicRoute(string Topic, IReadOnlyCollection<Type> MessageTypes, KafkaCleanupPolicy CleanupPolicy)
{
    /// <summary>Every concrete public type of <typeparamref name="TMessage"/>'s assembly that is a <typeparamref name="TMessage"/>.</summary>
    public static KafkaTopicRoute ForAll<TMessage>(string topic, KafkaCleanupPolicy cleanupPolicy) => new(
        topic,
        [.. typeof(TMessage).Assembly.GetExportedTypes().Where(t => t is { IsClass: true, IsAbstract: false } && typeof(TMessage).IsAssignableFrom(t))],
        cleanupPolicy);
}
