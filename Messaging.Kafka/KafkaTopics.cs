using System.Text;
using ConcertBooking.Messaging.Publishing;
using Confluent.Kafka.Admin;
using Microsoft.Extensions.Options;

namespace ConcertBooking.Messaging.Kafka;

/// <summary>
/// Names the topic of a message type and says how it is created. A type's topic is, in this order: its
/// <c>Messaging:Kafka:Topics:&lt;TypeName&gt;</c> setting, the <see cref="KafkaTopicRoute"/> the system declares for it
/// (the user events' one compacted stream), or a topic of its own (<c>UserCreated</c> → <c>user.created</c>).
/// </summary>
public sealed class KafkaTopics
{
    private readonly KafkaOptions _options;
    private readonly Dictionary<string, KafkaTopicRoute> _routes;

    public KafkaTopics(IOptions<KafkaOptions> options, IEnumerable<KafkaTopicRoute>? routes = null)
    {
        _options = options.Value;
        _routes = [];
        foreach (var route in routes ?? [])
        {
            foreach (var type in route.MessageTypes)
            {
                if (!_routes.TryAdd(type.Name, route))
                {
                    throw new ArgumentException($"Message type {type.Name} is routed to two Kafka topics: {_routes[type.Name].Topic} and {route.Topic}.", nameof(routes));
                }
            }
        }
    }

    public string For(Type messageType) => ForTypeName(messageType.Name);

    /// <summary>From an outbox type name ("Namespace.Type, Assembly") without loading the type.</summary>
    public string ForOutboxType(string messageType) => ForTypeName(MessageTypeNames.ShortName(messageType));

    public string DeadLetter(string topic) => topic + _options.DeadLetterSuffix;

    /// <summary>
    /// Every topic these message types travel on, each followed by its dead-letter topic: what a cluster that does not
    /// let the services create topics must be given (librdkafka's mock cluster, the dev broker, a managed cluster).
    /// </summary>
    public IReadOnlyList<string> All(IEnumerable<Type> messageTypes) =>
        [.. messageTypes.Select(For).Distinct().SelectMany(topic => new[] { topic, DeadLetter(topic) })];

    /// <summary>
    /// Compact for the topic of a compacting route; Delete for every other topic, dead-letter topics included: dead
    /// letters share their record's key, and compacting them would keep only the last failure of each key.
    /// </summary>
    public KafkaCleanupPolicy CleanupPolicy(string topic) =>
        _routes.Values.Any(r => r.CleanupPolicy == KafkaCleanupPolicy.Compact && _options.TopicPrefix + r.Topic == topic)
            ? KafkaCleanupPolicy.Compact
            : KafkaCleanupPolicy.Delete;

    /// <summary>
    /// How this service creates a missing topic: <see cref="KafkaOptions.Partitions"/>, replication and cleanup policy.
    /// A dead-letter topic keeps its records until they are deleted by hand: a dead letter nobody replayed yet must not
    /// expire with the broker's default retention (seven days).
    /// </summary>
    public TopicSpecification Specification(string topic)
    {
        var specification = new TopicSpecification { Name = topic, NumPartitions = _options.Partitions, ReplicationFactor = _options.ReplicationFactor };
        if (topic.EndsWith(_options.DeadLetterSuffix, StringComparison.Ordinal))
        {
            specification.Configs = new Dictionary<string, string> { ["retention.ms"] = "-1", ["retention.bytes"] = "-1" };
        }
        else if (CleanupPolicy(topic) == KafkaCleanupPolicy.Compact)
        {
            specification.Configs = new Dictionary<string, string> { ["cleanup.policy"] = "compact" };
        }

        return specification;
    }

    private string ForTypeName(string typeName) =>
        _options.TopicPrefix + (_options.Topics.TryGetValue(typeName, out var topic) ? topic
            : _routes.TryGetValue(typeName, out var route) ? route.Topic
            : Derive(typeName));

    /// <summary>PascalCase words become dot-separated lower-case words: <c>QueueTokenAdmitted</c> → <c>queue.token.admitted</c>.</summary>
    public static string Derive(string typeName)
    {
        var name = new StringBuilder(typeName.Length + 4);
        for (var i = 0; i < typeName.Length; i++)
        {
            var c = typeName[i];
            if (char.IsUpper(c) && i > 0 && (char.IsLower(typeName[i - 1]) || (i + 1 < typeName.Length && char.IsLower(typeName[i + 1]))))
            {
                name.Append('.');
            }

            name.Append(char.ToLowerInvariant(c));
        }

        return name.ToString();
    }
}
