using System.Text.Json;

namespace ConcertBooking.Messaging.Publishing;

/// <summary>How a message body is written to the outbox and read back by a transport: one setting for all.</summary>
public static class MessageSerialization
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web);
}
