namespace ConcertBooking.UserReplica;

/// <summary>
/// This service's copy of a user, kept current by user events. A deleted user stays as a tombstone — the id, the
/// version and when, with no name or email — so a late or replayed update with an older version cannot bring it back.
/// </summary>
public sealed class ReplicatedUser
{
    public Guid Id { get; set; }

    /// <summary>Null on a tombstone.</summary>
    public string? Name { get; set; }

    /// <summary>Null on a tombstone.</summary>
    public string? Email { get; set; }

    /// <summary>The version of the newest event applied; also the optimistic concurrency token.</summary>
    public long Version { get; set; }

    public bool IsDeleted { get; set; }

    /// <summary>When UserService committed the change (the event's OccurredAt).</summary>
    public DateTimeOffset ChangedAt { get; set; }

    /// <summary>When this replica applied it: ReplicatedAt - ChangedAt is the replication lag.</summary>
    public DateTimeOffset ReplicatedAt { get; set; }
}
