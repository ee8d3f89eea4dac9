namespace ConcertBooking.ConcertService.Concerts;

public sealed class Concert
{
    public Guid Id { get; set; }

    public required string Name { get; set; }

    public required string Venue { get; set; }

    public DateTimeOffset StartsAt { get; set; }
}
