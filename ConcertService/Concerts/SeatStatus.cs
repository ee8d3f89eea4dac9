namespace ConcertBooking.ConcertService.Concerts;

public enum SeatStatus
{
    Available,
    Held,
    Sold,
}
