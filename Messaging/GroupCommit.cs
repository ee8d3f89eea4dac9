namespace ConcertBooking.Messaging;

/// <summary>
/// Group commit: up to <c>concurrent</c> transactions run at once; a member that arrives while they are all busy waits,
/// and the next free transaction takes it together with everyone else waiting (up to <c>maxBatchSize</c>), led by
/// whichever member got the turn. At a low rate every member finds a free turn and runs at once, alone, exactly as
/// without grouping; under load the groups grow by themselves, and one commit serves many. The inbox groups a
/// consumer's deliveries with it, the queue its entries.
/// </summary>
/// <remarks>
/// A member runs alone, through the <c>runAlone</c> it passed, when nobody waits to share its transaction (inside its
/// turn), when the shared transaction did not commit (outside the turns, so that only the member that failed it fails
/// and the next group need not wait for the retries), and when the member leading it was cancelled: that cancellation
/// is the leader's alone, and the members it took along go on under their own tokens.
/// </remarks>
public sealed class GroupCommit<TMember>
{
    private readonly int _concurrent;
    private readonly int _maxBatchSize;
    private readonly TimeSpan _fillWait;
    private readonly TimeProvider _time;
    private readonly Lock _gate = new();
    private readonly Queue<Waiter> _waiting = new();
    private int _running;

    public GroupCommit(int concurrent, int maxBatchSize, TimeSpan fillWait, TimeProvider time)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(concurrent, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxBatchSize, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(fillWait, TimeSpan.Zero);
        _concurrent = concurrent;
        _maxBatchSize = maxBatchSize;
        _fillWait = fillWait;
        _time = time;
    }

    /// <summary>Members waiting for a turn; for tests that line a group up.</summary>
    public int Waiting
    {
        get
        {
            lock (_gate)
            {
                return _waiting.Count;
            }
        }
    }

    /// <summary>
    /// Runs <paramref name="member"/>'s work: in a transaction it leads, shared with the members waiting when its turn
    /// comes (<paramref name="tryRunTogether"/>, true when all of them committed), alone, or in another member's.
    /// </summary>
    public async Task RunAsync(
        TMember member,
        Func<IReadOnlyList<TMember>, CancellationToken, Task<bool>> tryRunTogether,
        Func<TMember, Task> runAlone,
        CancellationToken cancellationToken)
    {
        Waiter? waiter = null;
        lock (_gate)
        {
            if (_running < _concurrent)
            {
                _running++;
            }
            else
            {
                waiter = new Waiter(member);
                _waiting.Enqueue(waiter);
            }
        }

        if (waiter is not null)
        {
            switch (await waiter.Turn.Task)
            {
                case Turn.Committed:
                    return;
                case Turn.Alone:
                    await runAlone(member);
                    return;
            }
        }

        // Leading: this turn is ours until we hand it to the next waiting member.
        bool failedTogether;
        try
        {
            failedTogether = await LeadAsync(member, tryRunTogether, runAlone, cancellationToken);
        }
        finally
        {
            HandOver();
        }

        if (failedTogether)
        {
            // Like the members it took along, outside the turns: the next group need not wait for a failure's retry.
            await runAlone(member);
        }
    }

    /// <summary>Runs the turn; true when the shared transaction did not commit and the leader must still run alone.</summary>
    private async Task<bool> LeadAsync(
        TMember first,
        Func<IReadOnlyList<TMember>, CancellationToken, Task<bool>> tryRunTogether,
        Func<TMember, Task> runAlone,
        CancellationToken cancellationToken)
    {
        var waiting = Waiting;
        if (_fillWait > TimeSpan.Zero && waiting > 0 && waiting < _maxBatchSize - 1)
        {
            await Task.Delay(_fillWait, _time, cancellationToken);
        }

        var company = TakeWaiting(_maxBatchSize - 1);
        if (company.Count == 0)
        {
            // Alone inside the turn: whoever arrives meanwhile waits, and that is how groups form under load.
            await runAlone(first);
            return false;
        }

        var members = new List<TMember>(company.Count + 1) { first };
        members.AddRange(company.Select(waiter => waiter.Member));
        bool committed;
        try
        {
            committed = await tryRunTogether(members, cancellationToken);
        }
        catch
        {
            // The leader was cancelled (shutdown, its partition revoked, its request aborted): nothing committed. The
            // members it took along run alone under their own tokens, which may well go on.
            foreach (var waiter in company)
            {
                waiter.Turn.TrySetResult(Turn.Alone);
            }

            throw;
        }

        foreach (var waiter in company)
        {
            waiter.Turn.TrySetResult(committed ? Turn.Committed : Turn.Alone);
        }

        return !committed;
    }

    private List<Waiter> TakeWaiting(int limit)
    {
        var taken = new List<Waiter>();
        lock (_gate)
        {
            while (taken.Count < limit && _waiting.TryDequeue(out var waiter))
            {
                taken.Add(waiter);
            }
        }

        return taken;
    }

    private void HandOver()
    {
        Waiter? next;
        lock (_gate)
        {
            if (!_waiting.TryDequeue(out next))
            {
                _running--;
            }
        }

        next?.Turn.TrySetResult(Turn.Lead);
    }

    private enum Turn
    {
        Lead,
        Committed,
        Alone,
    }

    private sealed class Waiter(TMember member)
    {
        public TMember Member { get; } = member;

        public TaskCompletionSource<Turn> Turn { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
