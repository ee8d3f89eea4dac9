using FluentValidation;

namespace ConcertBooking.ConcertService.Reservations;

public sealed record ReserveSeatRequest(Guid? UserId, Guid? SeatId);

public sealed record ReservationResponse(
    Guid Id, Guid ConcertId, Guid SeatId, Guid UserId, decimal Amount, string Status,
    DateTimeOffset CreatedAt, DateTimeOffset ExpiresAt, DateTimeOffset? ClosedAt, Guid? PaymentId)
{
    public static ReservationResponse From(Reservation r) =>
        new(r.Id, r.ConcertId, r.SeatId, r.UserId, r.Amount, r.Status.ToString(), r.CreatedAt, r.ExpiresAt, r.ClosedAt, r.PaymentId);
}

public sealed class ReserveSeatRequestValidator : AbstractValidator<ReserveSeatRequest>
{
    public ReserveSeatRequestValidator()
    {
        RuleFor(r => r.UserId).NotNull().NotEqual(Guid.Empty).WithMessage("UserId is required.");
        RuleFor(r => r.SeatId).NotNull().NotEqual(Guid.Empty).WithMessage("SeatId is required.");
    }
}
