namespace ConcertBooking.Messaging;

public static class MessageHeaders
{
    public const string PartitionKey = "CB-PartitionKey";

    /// <summary>When the event was written to the outbox (its transaction's time): the start of replication lag.</summary>
    public const string OccurredAt = "CB-OccurredAt";
}
