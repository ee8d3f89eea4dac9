namespace ConcertBooking.TokenService.Queue;

public enum QueueTokenStatus
{
    Waiting,
    Admitted,
    Expired,
}

/// <summary>A user's place in one concert's waiting queue; at most one per user and concert (unique index).</summary>
public sealed class QueueToken
{
    public Guid Id { get; set; }

    public Guid ConcertId { get; set; }

    public Guid UserId { get; set; }

    /// <summary>Insertion order; breaks ties between tokens that entered in the same instant.</summary>
    public long Sequence { get; set; }

    public QueueTokenStatus Status { get; set; }

    /// <summary>When the user (re-)entered: the queue is served in this order.</summary>
    public DateTimeOffset EnteredAt { get; set; }

    public DateTimeOffset? AdmittedAt { get; set; }

    /// <summary>When the admission and its entry pass run out.</summary>
    public DateTimeOffset? ExpiresAt { get; set; }

    public string? EntryPass { get; set; }

    /// <summary>An admitted token counts as expired from its expiry on, even before the admitter marks it.</summary>
    public QueueTokenStatus EffectiveStatus(DateTimeOffset now) =>
        Status == QueueTokenStatus.Admitted && ExpiresAt <= now ? QueueTokenStatus.Expired : Status;
}
