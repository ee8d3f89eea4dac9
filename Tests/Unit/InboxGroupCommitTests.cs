using ConcertBooking.Messaging.Inbox;
using ConcertBooking.Tests.Infrastructure;

namespace ConcertBooking.Tests.Unit;

/// <summary>
/// Group commit puts deliveries that waited for a transaction into the next one, led by whichever delivery gets it. The
/// leader's cancellation (its partition revoked, its delivery abandoned) is the leader's alone: the deliveries it took
/// along are handled in transactions of their own, under their own tokens.
/// </summary>
[TestFixture]
[Category(TestCategories.Unit)]
public sealed class InboxGroupCommitTests
{
    [Test]
    public async Task A_leader_cancelled_inside_the_shared_transaction_leaves_the_deliveries_it_took_along_to_run_alone()
    {
        var groupCommit = new InboxGroupCommit(new ConsumerOptions { ConcurrentBatches = 1, MaxBatchSize = 8 }, TimeProvider.System);
        var batches = new SharedTransactions();

        // The only transaction is busy, so the next two deliveries wait for it: the first of them will lead the second.
        var busy = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var holding = groupCommit.RunAsync(new GroupedDelivery(_ => Task.CompletedTask, () => busy.Task), batches, CancellationToken.None);

        using var leaderToken = new CancellationTokenSource();
        var leaderJoined = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var leader = groupCommit.RunAsync(new GroupedDelivery(
            async _ =>
            {
                leaderJoined.TrySetResult();
                await Task.Delay(Timeout.Infinite, leaderToken.Token);
            },
            () => Task.CompletedTask), batches, leaderToken.Token);

        var ranAlone = 0;
        var follower = groupCommit.RunAsync(new GroupedDelivery(
            _ => Task.CompletedTask,
            () =>
            {
                Interlocked.Increment(ref ranAlone);
                return Task.CompletedTask;
            }), batches, CancellationToken.None);
        await Eventually.Until(() => Task.FromResult(groupCommit.Waiting), waiting => waiting == 2, "two deliveries waiting for the transaction");

        busy.SetResult();
        await holding;
        await leaderJoined.Task.WaitAsync(Eventually.DefaultTimeout);
        await leaderToken.CancelAsync();

        Assert.Multiple(() =>
        {
            Assert.That(async () => await leader.WaitAsync(Eventually.DefaultTimeout), Throws.InstanceOf<OperationCanceledException>(), "the leader itself was cancelled");
            Assert.That(async () => await follower.WaitAsync(Eventually.DefaultTimeout), Throws.Nothing, "the follower is not failed with the leader's cancellation");
            Assert.That(ranAlone, Is.EqualTo(1), "the follower handled alone, in a transaction of its own");
        });
    }

    /// <summary>Runs the deliveries' joins as the inbox does, without a database: a cancellation escapes, as from the real one.</summary>
    private sealed class SharedTransactions : IInboxBatches
    {
        public async Task<bool> TryRunTogetherAsync(Func<InboxBatch, CancellationToken, Task> handleAll, CancellationToken cancellationToken)
        {
            await handleAll(new InboxBatch(null!, null!), cancellationToken);
            return true;
        }
    }
}
