namespace ConcertBooking.ConcertService.Reservations;

/// <summary>
/// How many seats of one concert a user holds (Pending) or has bought (Confirmed). Changed only by conditional
/// UPDATEs in the transaction that changes a reservation's status: +1 on a hold only while below
/// <c>Reservations:MaxSeatsPerUser</c>, −1 when a hold expires. The row lock makes a user's concurrent holds take
/// turns, so the cap holds under any concurrency, on any instance.
/// </summary>
public sealed class UserSeatCount
{
    public Guid UserId { get; set; }

    public Guid ConcertId { get; set; }

    public int Seats { get; set; }
}
