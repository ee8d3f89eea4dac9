namespace ConcertBooking.TokenService.Queue;

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

    /// <summary>A user's first entry into a concert's queue: waiting, at the back.</summary>
    public static QueueToken Enter(Guid concertId, Guid userId, DateTimeOffset now) => new()
    {
        Id = Guid.CreateVersion7(now),
        ConcertId = concertId,
        UserId = userId,
        Status = QueueTokenStatus.Waiting,
        EnteredAt = now,
    };

    /// <summary>An admitted token counts as expired from its expiry on, even before the admitter marks it.</summary>
    public QueueTokenStatus EffectiveStatus(DateTimeOffset now) =>
        Status == QueueTokenStatus.Admitted && ExpiresAt <= now ? QueueTokenStatus.Expired : Status;

    /// <summary>
    /// An expired token goes to the back of the queue: the user lost the admission they did not use, not the right
    /// to queue. False (and nothing changed) for a token that is waiting or admitted.
    /// </summary>
    public bool RequeueIfExpired(DateTimeOffset now)
    {
        if (EffectiveStatus(now) != QueueTokenStatus.Expired)
        {
            return false;
        }

        Status = QueueTokenStatus.Waiting;
        EnteredAt = now;
        AdmittedAt = null;
        ExpiresAt = null;
        EntryPass = null;
        return true;
    }

    /// <summary>Let in until <paramref name="expiresAt"/>, with the signed pass that says so.</summary>
    public void Admit(DateTimeOffset now, DateTimeOffset expiresAt, string entryPass)
    {
        Status = QueueTokenStatus.Admitted;
        AdmittedAt = now;
        ExpiresAt = expiresAt;
        EntryPass = entryPass;
    }
}
