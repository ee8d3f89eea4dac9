namespace ConcertBooking.Messaging.Operations;

/// <summary>A message that kept failing and was set aside with the reason, waiting for an operator.</summary>
public sealed record DeadLetter(
    Guid? MessageId,
    string Queue,
    string? MessageType,
    string? ExceptionType,
    string? Reason,
    DateTimeOffset? FaultedAt);

/// <summary>The transport's place for messages that failed every retry: listed and replayed by operators.</summary>
public interface IDeadLetters
{
    Task<IReadOnlyList<DeadLetter>> ListAsync(int max, CancellationToken cancellationToken);

    /// <summary>Sends dead letters back to the queue they failed on (all when <paramref name="messageId"/> is null).</summary>
    /// <returns>How many were replayed.</returns>
    Task<int> ReplayAsync(Guid? messageId, CancellationToken cancellationToken);
}

/// <summary>The receive endpoints (queues) of this service, as the bus configured them.</summary>
public sealed class ReceiveEndpoints
{
    private readonly HashSet<string> _names = [];

    public void Add(string queue)
    {
        lock (_names)
        {
            _names.Add(queue);
        }
    }

    public IReadOnlyList<string> Names
    {
        get
        {
            lock (_names)
            {
                return [.. _names.Order()];
            }
        }
    }
}

/// <summary>For transports without a dead-letter store (in-memory specs).</summary>
internal sealed class NoDeadLetters : IDeadLetters
{
    public Task<IReadOnlyList<DeadLetter>> ListAsync(int max, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<DeadLetter>>([]);

    public Task<int> ReplayAsync(Guid? messageId, CancellationToken cancellationToken) => Task.FromResult(0);
}
