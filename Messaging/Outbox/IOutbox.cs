namespace ConcertBooking.Messaging.Outbox;

/// <summary>
/// Adds events to the caller's unit of work: they are saved by the caller's own <c>SaveChanges</c>, in the same
/// transaction as the business rows, and published by the relay only after that transaction commits.
/// </summary>
public interface IOutbox
{
    /// <returns>The stable MessageId the event will carry on every delivery.</returns>
    Guid Add<TMessage>(TMessage message, string partitionKey) where TMessage : class;
}
