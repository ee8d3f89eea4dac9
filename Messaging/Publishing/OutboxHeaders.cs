namespace ConcertBooking.Messaging.Publishing;

/// <summary>Headers the relay carries from the outbox row onto every message, whatever the transport.</summary>
public static class OutboxHeaders
{
    public const string PartitionKey = "CB-PartitionKey";

    /// <summary>When the event was written to the outbox (its transaction's time): the start of delivery lag.</summary>
    public const string OccurredAt = "CB-OccurredAt";
}
