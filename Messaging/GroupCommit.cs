namespace ConcertBooking.Messaging;

/// <summary>
/// Group commit: up to <c>concurrent</c> transactions run at once; a member that arrives while they are all busy waits,
/// and the next free transaction takes it together with everyone else waiting (up to <c>maxBatchSize</c>), led by
/// whichever member got the turn. At a low rate every member finds a free turn and runs at once, alone, exactly as
/// without grouping; under load the groups grow by themselves, and one commit serves many. The inbox groups a
/// consumer's deliveries with it, the queue its entries.
/// </summary>
/// <remarks>
/// A member runs alone, through the <c>runAlone</c> it passed, when nobody waits to share its transaction, when the
/// shared transaction did not commit (so that only the member that failed it fails), and when the member leading it
/// was cancelled: that cancellation is the leader's alone, and the members it took along go on under their own tokens.
/// </remarks>
public sealed class GroupCommit<TMember>(int concurrent, int maxBatchSize, TimeSpan fillWait, TimeProvider time)
{
    private readonly Lock _gate = new();
    private readonly Queue<Waiter> _waiting = new();
    private int _running;

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
            if (_running < concurrent)
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
        try
        {
            await LeadAsync(member, tryRunTogether, runAlone, cancellationToken);
        }
        finally
        {
            HandOver();
        }
    }

    private async Task LeadAsync(
        TMember first,
        Func<IReadOnlyList<TMember>, CancellationToken, Task<bool>> tryRunTogether,
        Func<TMember, Task> runAlone,
        CancellationToken cancellationToken)
    {
        var waiting = Waiting;
        if (fillWait > TimeSpan.Zero && waiting > 0 && waiting < maxBatchSize - 1)
        {
            await Task.Delay(fillWait, time, cancellationToken);
        }

        var company = TakeWaiting(maxBatchSize - 1);
        if (company.Count == 0)
        {
            await runAlone(first);
            return;
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

        if (!committed)
        {
            await runAlone(first);
        }
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
