using FluentValidation;

namespace ConcertBooking.ConcertService.Reservations;

public sealed class ReserveSeatRequestValidator : AbstractValidator<ReserveSeatRequest>
{
    public ReserveSeatRequestValidator()
    {
        RuleFor(r => r.SeatId).NotNull().NotEqual(Guid.Empty).WithMessage("SeatId is required.");
    }
}
