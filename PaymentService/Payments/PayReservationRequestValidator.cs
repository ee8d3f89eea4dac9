using FluentValidation;

namespace ConcertBooking.PaymentService.Payments;

public sealed class PayReservationRequestValidator : AbstractValidator<PayReservationRequest>
{
    public PayReservationRequestValidator()
    {
        RuleFor(r => r.ReservationId).NotNull().NotEqual(Guid.Empty).WithMessage("ReservationId is required.");
    }
}
