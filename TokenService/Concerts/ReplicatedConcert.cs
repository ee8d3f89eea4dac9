namespace ConcertBooking.TokenService.Concerts;

/// <summary>
/// TokenService's copy of a concert of ConcertService, kept by <see cref="Contracts.ConcertScheduled"/>: enough to
/// know that it exists and when it starts. A queue is only opened for a concert held here.
/// </summary>
public sealed class ReplicatedConcert
{
    public Guid Id { get; set; }

    public DateTimeOffset StartsAt { get; set; }

    /// <summary>The version of the newest event applied.</summary>
    public long Version { get; set; }

    /// <summary>When ConcertService wrote the event applied.</summary>
    public DateTimeOffset ChangedAt { get; set; }

    /// <summary>When this replica applied it.</summary>
    public DateTimeOffset ReplicatedAt { get; set; }
}
