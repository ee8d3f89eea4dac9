namespace ConcertBooking.TokenService.Queue;

/// <summary>What <see cref="EnterQueue"/> did.</summary>
public abstract record EnterQueueResult
{
    private EnterQueueResult()
    {
    }

    /// <summary>A new token, waiting at the back of the queue.</summary>
    public sealed record Entered(QueueStanding Standing) : EnterQueueResult;

    /// <summary>The user's existing token for the concert (put back to the end of the queue if it had expired).</summary>
    public sealed record AlreadyQueued(QueueStanding Standing) : EnterQueueResult;

    /// <summary>Not in this service's replica: unknown, deleted, or not replicated yet.</summary>
    public sealed record UnknownUser : EnterQueueResult;

    /// <summary>Not a concert ConcertService announced: made up, or announced moments ago and not replicated yet.</summary>
    public sealed record UnknownConcert : EnterQueueResult;
}
