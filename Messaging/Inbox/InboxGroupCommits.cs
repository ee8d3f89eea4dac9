using System.Collections.Concurrent;

namespace ConcertBooking.Messaging.Inbox;

/// <summary>Each consumer's group commit in this process, by consumer name.</summary>
internal sealed class InboxGroupCommits(TimeProvider time)
{
    private readonly ConcurrentDictionary<string, InboxGroupCommit> _byConsumer = new();

    public InboxGroupCommit For(string consumer, ConsumerOptions options) =>
        _byConsumer.GetOrAdd(consumer, static (_, state) => new InboxGroupCommit(state.options, state.time), (options, time));

    /// <summary>Deliveries waiting for the consumer's next transaction.</summary>
    public int Waiting(string consumer) => _byConsumer.TryGetValue(consumer, out var groupCommit) ? groupCommit.Waiting : 0;
}
