using ConcertBooking.Contracts;

namespace ConcertBooking.ConcertService.Concerts;

/// <summary>A concert; other services learn it from <see cref="ConcertScheduled"/>, which the concert makes itself.</summary>
public sealed class Concert
{
    public Guid Id { get; set; }

    public required string Name { get; set; }

    public required string Venue { get; set; }

    public DateTimeOffset StartsAt { get; set; }

    /// <summary>1 when created; a change that other services must learn would raise it.</summary>
    public long Version { get; set; }

    /// <summary>A new concert at version 1, and the event that tells the other services.</summary>
    public static (Concert Concert, ConcertScheduled Event) Schedule(Guid id, string name, string venue, DateTimeOffset startsAt, DateTimeOffset now)
    {
        var concert = new Concert { Id = id, Name = name, Venue = venue, StartsAt = startsAt, Version = 1 };
        return (concert, concert.Announce(now));
    }

    /// <summary>The concert as it stands, at its current version: replicas that have that version ignore it.</summary>
    public ConcertScheduled Announce(DateTimeOffset now) => new(Id, Name, Venue, StartsAt, Version, now);
}
