namespace ConcertBooking.ConcertService.Concerts;

public sealed record SeatResponse(Guid Id, string Label, decimal Price, string Status)
{
    public static SeatResponse From(Seat seat) => new(seat.Id, seat.Label, seat.Price, seat.Status.ToString());
}
