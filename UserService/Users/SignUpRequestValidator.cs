using FluentValidation;

namespace ConcertBooking.UserService.Users;

public sealed class SignUpRequestValidator : AbstractValidator<SignUpRequest>
{
    public SignUpRequestValidator()
    {
        RuleFor(r => r.Name).ValidName();
        RuleFor(r => r.Email).ValidEmail();
    }
}
