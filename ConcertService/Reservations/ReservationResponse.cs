namespace ConcertBooking.ConcertService.Reservations;

public sealed record ReservationResponse(
    Guid Id, Guid ConcertId, Guid SeatId, Guid UserId, decimal Amount, string Status,
    DateTimeOffset CreatedAt, DateTimeOffset ExpiresAt, DateTimeOffset? ClosedAt, Guid? PaymentId)
{
    public static ReservationResponse From(Reservation r) =>
        new(r.Id, r.ConcertId, r.SeatId, r.UserId, r.Amount, r.Status.ToString(), r.CreatedAt, r.ExpiresAt, r.ClosedAt, r.PaymentId);
}
