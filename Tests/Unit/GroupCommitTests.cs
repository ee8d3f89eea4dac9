using ConcertBooking.Messaging;
using ConcertBooking.Tests.Infrastructure;

namespace ConcertBooking.Tests.Unit;

/// <summary>
/// Group commit runs a member alone when nobody waits to share its transaction, takes the members that waited for a
/// turn into one transaction, and sends each of them alone when that transaction did not commit.
/// </summary>
[TestFixture]
[Category(TestCategories.Unit)]
public sealed class GroupCommitTests
{
    [Test]
    public async Task A_member_that_finds_a_free_turn_runs_alone_at_once()
    {
        var groupCommit = new GroupCommit<string>(1, 8, TimeSpan.Zero, TimeProvider.System);
        var log = new Log();

        await groupCommit.RunAsync("lone", log.TogetherAsync(committed: true), log.AloneAsync, CancellationToken.None);

        Assert.That(log.Runs, Is.EqualTo(new[] { "alone lone" }));
    }

    [Test]
    public async Task Members_that_wait_for_a_turn_run_together_in_the_next_one_in_the_order_they_came()
    {
        var groupCommit = new GroupCommit<string>(1, 8, TimeSpan.Zero, TimeProvider.System);
        var log = new Log();

        await RunBehindAHeldTurnAsync(groupCommit, log.TogetherAsync(committed: true), log.AloneAsync, "a", "b", "c");

        Assert.That(log.Runs, Is.EqualTo(new[] { "together a b c" }));
    }

    [Test]
    public async Task A_group_that_does_not_commit_runs_each_of_its_members_alone()
    {
        var groupCommit = new GroupCommit<string>(1, 8, TimeSpan.Zero, TimeProvider.System);
        var log = new Log();

        await RunBehindAHeldTurnAsync(groupCommit, log.TogetherAsync(committed: false), log.AloneAsync, "a", "b");

        Assert.That(log.Runs, Is.EquivalentTo(new[] { "together a b", "alone a", "alone b" }));
    }

    [Test]
    public async Task The_leader_of_a_group_that_did_not_commit_runs_alone_without_holding_up_the_next_turn()
    {
        var groupCommit = new GroupCommit<string>(1, 8, TimeSpan.Zero, TimeProvider.System);
        var leaderAlone = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var released = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var holding = groupCommit.RunAsync("holder", (_, _) => Task.FromResult(true), _ => released.Task, CancellationToken.None);
        var leader = groupCommit.RunAsync("leader", (_, _) => Task.FromResult(false), _ => leaderAlone.Task, CancellationToken.None);
        await Eventually.Until(() => Task.FromResult(groupCommit.Waiting), count => count == 1, "the leader-to-be waiting for the turn");
        var follower = groupCommit.RunAsync("follower", (_, _) => Task.FromResult(false), _ => Task.CompletedTask, CancellationToken.None);
        await Eventually.Until(() => Task.FromResult(groupCommit.Waiting), count => count == 2, "the follower waiting for the turn");

        released.SetResult();
        await holding;
        await follower.WaitAsync(Eventually.DefaultTimeout);
        var next = groupCommit.RunAsync("next", (_, _) => Task.FromResult(true), _ => Task.CompletedTask, CancellationToken.None);

        Assert.That(async () => await next.WaitAsync(Eventually.DefaultTimeout), Throws.Nothing,
            "the next member ran while the failed group's leader was still retrying alone");
        Assert.That(leader.IsCompleted, Is.False, "the leader is still running alone");
        leaderAlone.SetResult();
        await leader.WaitAsync(Eventually.DefaultTimeout);
    }

    [Test]
    public async Task A_group_takes_at_most_its_batch_size_and_leaves_the_rest_to_the_next_turn()
    {
        var groupCommit = new GroupCommit<string>(1, 2, TimeSpan.Zero, TimeProvider.System);
        var log = new Log();

        await RunBehindAHeldTurnAsync(groupCommit, log.TogetherAsync(committed: true), log.AloneAsync, "a", "b", "c", "d");

        Assert.That(log.Runs, Is.EqualTo(new[] { "together a b", "together c d" }));
    }

    /// <summary>
    /// Takes the only turn with a member of its own, lines <paramref name="members"/> up behind it one after another,
    /// then lets the turn go and waits until every member has run.
    /// </summary>
    private static async Task RunBehindAHeldTurnAsync(
        GroupCommit<string> groupCommit,
        Func<IReadOnlyList<string>, CancellationToken, Task<bool>> together,
        Func<string, Task> alone,
        params string[] members)
    {
        var released = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var holding = groupCommit.RunAsync("holder", (_, _) => Task.FromResult(true), _ => released.Task, CancellationToken.None);
        var waiting = new List<Task>();
        foreach (var member in members)
        {
            waiting.Add(groupCommit.RunAsync(member, together, alone, CancellationToken.None));
            await Eventually.Until(() => Task.FromResult(groupCommit.Waiting), count => count == waiting.Count, $"{member} waiting for the turn");
        }

        released.SetResult();
        await holding;
        await Task.WhenAll(waiting).WaitAsync(Eventually.DefaultTimeout);
    }

    /// <summary>What ran, in the order it ran.</summary>
    private sealed class Log
    {
        private readonly Lock _gate = new();
        private readonly List<string> _runs = [];

        public IReadOnlyList<string> Runs
        {
            get
            {
                lock (_gate)
                {
                    return [.. _runs];
                }
            }
        }

        public Func<IReadOnlyList<string>, CancellationToken, Task<bool>> TogetherAsync(bool committed) => (members, _) =>
        {
            Add($"together {string.Join(' ', members)}");
            return Task.FromResult(committed);
        };

        public Task AloneAsync(string member)
        {
            Add($"alone {member}");
            return Task.CompletedTask;
        }

        private void Add(string run)
        {
            lock (_gate)
            {
                _runs.Add(run);
            }
        }
    }
}
