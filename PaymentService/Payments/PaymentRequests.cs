using FluentValidation;

namespace ConcertBooking.PaymentService.Payments;

public sealed record PayReservationRequest(Guid? ReservationId, Guid? UserId);

public sealed record PaymentResponse(
    Guid Id, Guid ReservationId, Guid UserId, decimal Amount, string Status, DateTimeOffset CreatedAt, DateTimeOffset? RefundedAt)
{
    public static PaymentResponse From(Payment p) => new(p.Id, p.ReservationId, p.UserId, p.Amount, p.Status.ToString(), p.CreatedAt, p.RefundedAt);
}

public sealed record PayableReservationResponse(
    Guid ReservationId, Guid ConcertId, Guid SeatId, Guid UserId, decimal Amount, DateTimeOffset ExpiresAt, string Status);

public sealed class PayReservationRequestValidator : AbstractValidator<PayReservationRequest>
{
    public PayReservationRequestValidator()
    {
        RuleFor(r => r.ReservationId).NotNull().NotEqual(Guid.Empty).WithMessage("ReservationId is required.");
        RuleFor(r => r.UserId).NotNull().NotEqual(Guid.Empty).WithMessage("UserId is required.");
    }
}
