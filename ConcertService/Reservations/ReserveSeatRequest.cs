namespace ConcertBooking.ConcertService.Reservations;

/// <summary>
/// A seat by its id, or any free seat of a concert (the first free in label order): one of the two. The user is the
/// access token's, never the body's.
/// </summary>
public sealed record ReserveSeatRequest(Guid? SeatId, Guid? ConcertId = null);
