namespace ConcertBooking.Messaging.Outbox;

/// <summary>
/// Adds events to the caller's unit of work: they are saved by the caller's own <c>SaveChanges</c>, in the same
/// transaction as the business rows, and published by the relay only after that transaction commits.
/// </summary>
public interface IOutbox
{
    /// <returns>The stable MessageId the event will carry on every delivery.</returns>
    Guid Add<TMessage>(TMessage message, string partitionKey) where TMessage : class;

    /// <summary>
    /// Whether a message with this partition key, committed before, is still waiting to be published: retrying, or
    /// parked for an operator. A message added with the key now would leave after it, since a key's messages leave in order.
    /// </summary>
    Task<bool> IsWaitingAsync(string partitionKey, CancellationToken cancellationToken);
}
