namespace ConcertBooking.Messaging.Inbox;

/// <summary>
/// Group commit for one consumer's concurrent deliveries: up to <c>ConcurrentBatches</c> transactions run at once; a
/// delivery that arrives while they are all busy waits, and the next free transaction takes it together with everyone
/// else waiting (up to <c>MaxBatchSize</c>). At a low rate every delivery finds a free transaction and runs at once,
/// alone, exactly as without batching; under load the batches grow by themselves.
/// </summary>
internal sealed class InboxGroupCommit(ConsumerOptions options, TimeProvider time)
{
    private readonly Lock _gate = new();
    private readonly Queue<Waiter> _waiting = new();
    private int _running;

    /// <summary>Deliveries waiting for a transaction; for tests that line a batch up.</summary>
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

    public async Task RunAsync(GroupedDelivery delivery, IInboxBatches batches, CancellationToken cancellationToken)
    {
        Waiter? waiter = null;
        lock (_gate)
        {
            if (_running < options.ConcurrentBatches)
            {
                _running++;
            }
            else
            {
                waiter = new Waiter(delivery);
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
                    await delivery.HandleAloneAsync();
                    return;
            }
        }

        // Leading: this delivery's transaction is ours until we hand it to the next waiting delivery.
        try
        {
            await LeadAsync(delivery, batches, cancellationToken);
        }
        finally
        {
            HandOver();
        }
    }

    private async Task LeadAsync(GroupedDelivery first, IInboxBatches batches, CancellationToken cancellationToken)
    {
        var waiting = Waiting;
        if (options.BatchFillWait > TimeSpan.Zero && waiting > 0 && waiting < options.MaxBatchSize - 1)
        {
            await Task.Delay(options.BatchFillWait, time, cancellationToken);
        }

        var company = TakeWaiting(options.MaxBatchSize - 1);
        if (company.Count == 0)
        {
            await first.HandleAloneAsync();
            return;
        }

        bool committed;
        try
        {
            committed = await batches.TryRunTogetherAsync(async (batch, _) =>
            {
                await first.JoinAsync(batch);
                foreach (var waiter in company)
                {
                    if (batch.Failed)
                    {
                        return;
                    }

                    await waiter.Delivery.JoinAsync(batch);
                }
            }, cancellationToken);
        }
        catch
        {
            // The leader's own delivery was cancelled (shutdown, its partition revoked): nothing committed. That is the
            // leader's alone; the deliveries it took along run alone under their own tokens, which may well go on.
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
            // One delivery failed (or was a duplicate of a committed one): each runs alone, so only that one is retried.
            await first.HandleAloneAsync();
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

    private sealed class Waiter(GroupedDelivery delivery)
    {
        public GroupedDelivery Delivery { get; } = delivery;

        public TaskCompletionSource<Turn> Turn { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
