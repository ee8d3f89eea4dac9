using MassTransit;

namespace ConcertBooking.Messaging.Kafka;

/// <summary>The topics this service consumes: one per message type that one of its consumers handles.</summary>
internal sealed class KafkaSubscriptions
{
    public KafkaSubscriptions(IEnumerable<Type> consumerTypes, KafkaTopics topics)
    {
        MessageTypes = consumerTypes
            .SelectMany(c => c.GetInterfaces())
            .Where(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IConsumer<>))
            .Select(i => i.GetGenericArguments()[0])
            .Distinct()
            .ToDictionary(topics.For);
    }

    /// <summary>Message type by topic.</summary>
    public IReadOnlyDictionary<string, Type> MessageTypes { get; }
}
