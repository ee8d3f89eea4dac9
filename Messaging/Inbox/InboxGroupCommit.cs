namespace ConcertBooking.Messaging.Inbox;

/// <summary>
/// Group commit (<see cref="GroupCommit{TMember}"/>) for one consumer's concurrent deliveries: up to
/// <c>ConcurrentBatches</c> transactions at once, up to <c>MaxBatchSize</c> deliveries in each, a batch that already has
/// company waiting <c>BatchFillWait</c> for more. A delivery joins the shared transaction in turn until one of them
/// fails it; then each is handled alone, so only that one is retried.
/// </summary>
internal sealed class InboxGroupCommit(ConsumerOptions options, TimeProvider time)
{
    private readonly GroupCommit<GroupedDelivery> _groupCommit =
        new(options.ConcurrentBatches, options.MaxBatchSize, options.BatchFillWait, time);

    /// <summary>Deliveries waiting for a transaction; for tests that line a batch up.</summary>
    public int Waiting => _groupCommit.Waiting;

    public Task RunAsync(GroupedDelivery delivery, IInboxBatches batches, CancellationToken cancellationToken) =>
        _groupCommit.RunAsync(
            delivery,
            (deliveries, token) => batches.TryRunTogetherAsync(async (batch, _) =>
            {
                foreach (var joining in deliveries)
                {
                    if (batch.Failed)
                    {
                        return;
                    }

                    await joining.JoinAsync(batch);
                }
            }, token),
            static joining => joining.HandleAloneAsync(),
            cancellationToken);
}
