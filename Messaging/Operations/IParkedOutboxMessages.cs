namespace ConcertBooking.Messaging.Operations;

/// <summary>
/// The outbox rows the relay stopped trying (the broker refused them <c>Messaging:Outbox:MaxAttempts</c> times), for
/// operators: each holds back the later events of its key until it is retried or discarded.
/// </summary>
public interface IParkedOutboxMessages
{
    /// <summary>The oldest parked rows first: the ones that have held their keys longest.</summary>
    Task<IReadOnlyList<FailingOutboxMessage>> ListAsync(int max, CancellationToken cancellationToken);

    /// <summary>Hands parked rows back to the relay with their attempts counted anew (all when <paramref name="messageId"/> is null).</summary>
    /// <returns>How many were parked and are now pending again.</returns>
    Task<int> RetryAsync(Guid? messageId, CancellationToken cancellationToken);

    /// <summary>
    /// Gives up on a parked row: it stays in the outbox with the time and <paramref name="reason"/> (the audit trail,
    /// kept for <c>Messaging:Outbox:DiscardedRetention</c>), is never published, and releases its key's later events.
    /// </summary>
    /// <returns>False when no parked row has that id.</returns>
    Task<bool> DiscardAsync(Guid messageId, string reason, CancellationToken cancellationToken);
}
