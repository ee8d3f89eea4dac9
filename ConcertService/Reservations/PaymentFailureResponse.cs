namespace ConcertBooking.ConcertService.Reservations;

public sealed record PaymentFailureResponse(Guid ReservationId, decimal Amount, string Reason, DateTimeOffset FailedAt, int Failures)
{
    public static PaymentFailureResponse From(PaymentFailure f) => new(f.ReservationId, f.Amount, f.Reason, f.FailedAt, f.Failures);
}
