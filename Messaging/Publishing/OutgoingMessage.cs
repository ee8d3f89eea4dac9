namespace ConcertBooking.Messaging.Publishing;

/// <summary>An outbox row on its way to the broker.</summary>
public sealed record OutgoingMessage(
    Guid MessageId,
    string MessageType,
    string Body,
    string PartitionKey,
    DateTimeOffset CreatedAt,
    string? TraceParent);
