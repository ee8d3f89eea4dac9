using FluentValidation;

namespace ConcertBooking.UserService.Users;

public sealed class ChangeUserRequestValidator : AbstractValidator<ChangeUserRequest>
{
    public ChangeUserRequestValidator()
    {
        RuleFor(r => r).Must(r => r.Name is not null || r.Email is not null)
            .WithName("request").WithMessage("Give a new name, a new email, or both.");
        When(r => r.Name is not null, () => RuleFor(r => r.Name).ValidName());
        When(r => r.Email is not null, () => RuleFor(r => r.Email).ValidEmail());
    }
}
