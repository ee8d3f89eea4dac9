using System.Text;
using Microsoft.Extensions.Options;

namespace ConcertBooking.Messaging.Kafka;

/// <summary>Header names of a Kafka record; the key is the partition key, the value the JSON body.</summary>
public static class KafkaHeaders
{
    public const string MessageId = "message-id";
    public const string MessageType = "message-type";
    public const string ContentType = "content-type";
    public const string TraceParent = "traceparent";
    public const string ExceptionType = "dlt-exception-type";
    public const string ExceptionMessage = "dlt-exception-message";
    public const string OriginalTopic = "dlt-original-topic";
    public const string OriginalPartition = "dlt-original-partition";
    public const string OriginalOffset = "dlt-original-offset";
    public const string ConsumerGroup = "dlt-consumer-group";
    public const string FailedAt = "dlt-failed-at";
}

/// <summary>Names the topic of a message type: a topic per type, <c>UserCreated</c> → <c>user.created</c>.</summary>
public sealed class KafkaTopics(IOptions<MessagingOptions> options)
{
    private readonly KafkaOptions _options = options.Value.Kafka;

    public string For(Type messageType) => ForTypeName(messageType.Name);

    /// <summary>From an outbox type name ("Namespace.Type, Assembly") without loading the type.</summary>
    public string ForOutboxType(string messageType)
    {
        var fullName = messageType.Split(',')[0].Trim();
        var shortName = fullName[(fullName.LastIndexOfAny(['.', '+']) + 1)..];
        return ForTypeName(shortName);
    }

    public string DeadLetter(string topic) => topic + _options.DeadLetterSuffix;

    private string ForTypeName(string typeName) =>
        _options.TopicPrefix + (_options.Topics.TryGetValue(typeName, out var topic) ? topic : Derive(typeName));

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
