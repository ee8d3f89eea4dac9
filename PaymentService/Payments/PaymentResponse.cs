namespace ConcertBooking.PaymentService.Payments;

public sealed record PaymentResponse(
    Guid Id, Guid ReservationId, Guid UserId, decimal Amount, string Status, DateTimeOffset CreatedAt, DateTimeOffset? RefundedAt)
{
    public static PaymentResponse From(Payment p) => new(p.Id, p.ReservationId, p.UserId, p.Amount, p.Status.ToString(), p.CreatedAt, p.RefundedAt);
}
