namespace ConcertBooking.Contracts;

/// <summary>
/// ConcertService has this concert, as of <see cref="Version"/>: written with the concert's rows when it is created,
/// and announced again at its current version each time ConcertService starts, so a service that joined later (or
/// lost its copy) learns it too. Its partition key is the concert id. A replica keeps the newest version it has seen;
/// an equal or older one changes nothing. TokenService keeps one to refuse queues for concerts that do not exist.
/// </summary>
public sealed record ConcertScheduled(
    Guid ConcertId, string Name, string Venue, DateTimeOffset StartsAt, long Version, DateTimeOffset OccurredAt);
