namespace ConcertBooking.ConcertService.Reservations;

public sealed record ReserveSeatRequest(Guid? UserId, Guid? SeatId);
