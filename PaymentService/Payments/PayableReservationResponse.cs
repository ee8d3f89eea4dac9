namespace ConcertBooking.PaymentService.Payments;

public sealed record PayableReservationResponse(
    Guid ReservationId, Guid ConcertId, Guid SeatId, Guid UserId, decimal Amount, DateTimeOffset ExpiresAt, string Status)
{
    public static PayableReservationResponse From(PayableReservation r) =>
        new(r.ReservationId, r.ConcertId, r.SeatId, r.UserId, r.Amount, r.ExpiresAt, r.Status.ToString());
}
