namespace ConcertBooking.Messaging.Operations;

/// <summary>Reads the outbox's backlog in a scope of its own, for callers outside a request.</summary>
public interface IOutboxStatusReader
{
    Task<OutboxStatus> ReadAsync(CancellationToken cancellationToken);
}
