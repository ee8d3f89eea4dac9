namespace ConcertBooking.Messaging.Inbox;

/// <summary>
/// How many consumers of this process run their transaction at once, across every receive endpoint and a transport's
/// mediator: each holds a pooled database connection until it commits, so together they must stay below the pool, or
/// they wait for each other until the pool's timeout fails them. Set once at start by <see cref="ConsumerConcurrencyLimit"/>;
/// unbounded until then (a test harness without it).
/// </summary>
public sealed class ConsumerConcurrency : IDisposable
{
    private SemaphoreSlim? _slots;

    /// <summary>The limit in force, null while unbounded.</summary>
    public int? Limit { get; private set; }

    internal void Bound(int limit)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        _slots = new SemaphoreSlim(limit, limit);
        Limit = limit;
    }

    /// <summary>Waits for a slot; dispose the result to give it back. Retries wait outside it, so a retry's delay holds no connection.</summary>
    public async ValueTask<Slot> EnterAsync(CancellationToken cancellationToken)
    {
        var slots = _slots;
        if (slots is not null)
        {
            await slots.WaitAsync(cancellationToken);
        }

        return new Slot(slots);
    }

    public void Dispose() => _slots?.Dispose();

    public readonly struct Slot(SemaphoreSlim? slots) : IDisposable
    {
        public void Dispose() => slots?.Release();
    }
}
