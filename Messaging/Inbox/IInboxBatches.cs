namespace ConcertBooking.Messaging.Inbox;

/// <summary>
/// Handles several deliveries in one database transaction: what a transport calls with the records it already holds
/// (Kafka's partition worker), and what the inbox calls with deliveries that arrived together (RabbitMQ).
/// </summary>
public interface IInboxBatches
{
    /// <summary>
    /// Opens one transaction, makes it ambient while <paramref name="handleAll"/> passes each delivery through its
    /// consumer pipeline in order, and commits it. False when a delivery failed (or <paramref name="handleAll"/> threw,
    /// or the commit did): everything is rolled back and the caller handles each delivery alone, where retries,
    /// duplicates and dead letters work as for any single message.
    /// </summary>
    Task<bool> TryRunTogetherAsync(Func<InboxBatch, CancellationToken, Task> handleAll, CancellationToken cancellationToken);
}
