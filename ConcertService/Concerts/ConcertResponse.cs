namespace ConcertBooking.ConcertService.Concerts;

public sealed record ConcertResponse(Guid Id, string Name, string Venue, DateTimeOffset StartsAt, int Seats, int AvailableSeats);
