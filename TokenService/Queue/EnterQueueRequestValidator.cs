using FluentValidation;

namespace ConcertBooking.TokenService.Queue;

public sealed class EnterQueueRequestValidator : AbstractValidator<EnterQueueRequest>
{
    public EnterQueueRequestValidator() =>
        RuleFor(r => r.UserId).NotNull().NotEqual(Guid.Empty).WithMessage("UserId is required.");
}
