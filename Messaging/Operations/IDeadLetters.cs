namespace ConcertBooking.Messaging.Operations;

/// <summary>The transport's place for messages that failed every retry: listed and replayed by operators.</summary>
public interface IDeadLetters
{
    Task<IReadOnlyList<DeadLetter>> ListAsync(int max, CancellationToken cancellationToken);

    /// <summary>Sends dead letters back to the queue they failed on (all when <paramref name="messageId"/> is null).</summary>
    /// <returns>How many were replayed, and how many were left as superseded by a newer message of their key.</returns>
    Task<ReplayResult> ReplayAsync(Guid? messageId, CancellationToken cancellationToken);
}
