using System.Text;
using ConcertBooking.Messaging.Publishing;
using Microsoft.Extensions.Options;

namespace ConcertBooking.Messaging.Kafka;

/// <summary>Names the topic of a message type: a topic per type, <c>UserCreated</c> → <c>user.created</c>.</summary>
public sealed class KafkaTopics(IOptions<KafkaOptions> options)
{
    private readonly KafkaOptions _options = options.Value;

    public string For(Type messageType) => ForTypeName(messageType.Name);

    /// <summary>From an outbox type name ("Namespace.Type, Assembly") without loading the type.</summary>
    public string ForOutboxType(string messageType) => ForTypeName(MessageTypeNames.ShortName(messageType));

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
