using FluentValidation;

namespace ConcertBooking.ConcertService.Reservations;

public sealed class ReserveSeatRequestValidator : AbstractValidator<ReserveSeatRequest>
{
    public ReserveSeatRequestValidator()
    {
        RuleFor(r => r)
            .Must(r => (r.SeatId is null) != (r.ConcertId is null))
            .WithName("SeatId")
            .WithMessage("Name a seat (seatId) or ask for any free seat of a concert (concertId): one of the two.");
        RuleFor(r => r.SeatId).NotEqual(Guid.Empty).WithMessage("SeatId must not be the empty GUID.");
        RuleFor(r => r.ConcertId).NotEqual(Guid.Empty).WithMessage("ConcertId must not be the empty GUID.");
    }
}
