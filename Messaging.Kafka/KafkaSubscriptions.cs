using MassTransit;

namespace ConcertBooking.Messaging.Kafka;

/// <summary>
/// The topics this service consumes and the message types each carries. By default a topic per type; topic
/// overrides may route several types to one topic (say all user events to <c>user.events</c>), which is what keeps
/// the order of one key across those types, since Kafka orders only within a partition of one topic.
/// </summary>
internal sealed class KafkaSubscriptions
{
    public KafkaSubscriptions(IEnumerable<Type> consumerTypes, KafkaTopics topics)
    {
        MessageTypes = consumerTypes
            .SelectMany(c => c.GetInterfaces())
            .Where(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IConsumer<>))
            .Select(i => i.GetGenericArguments()[0])
            .Distinct()
            .GroupBy(topics.For)
            .ToDictionary(g => g.Key, g => (IReadOnlyList<Type>)[.. g]);
    }

    /// <summary>Consumed message types by topic.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<Type>> MessageTypes { get; }
}
