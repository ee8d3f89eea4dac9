namespace ConcertBooking.ConcertService.Reservations;

/// <summary>The seat only: the user is the access token's, never the body's.</summary>
public sealed record ReserveSeatRequest(Guid? SeatId);
