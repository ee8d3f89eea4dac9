namespace ConcertBooking.Messaging.Operations;

/// <summary>A pending outbox row whose publishing failed at least once, with the last error; parked when the broker kept refusing it.</summary>
public sealed record FailingOutboxMessage(Guid MessageId, string MessageType, string PartitionKey, int Attempts,
    DateTimeOffset CreatedAt, DateTimeOffset? NextAttemptAt, DateTimeOffset? ParkedAt, string? LastError);
