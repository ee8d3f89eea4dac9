using ConcertBooking.UserService.Identity;
using FluentValidation;

namespace ConcertBooking.UserService.Users;

public sealed class SignUpRequestValidator : AbstractValidator<SignUpRequest>
{
    public SignUpRequestValidator()
    {
        RuleFor(r => r.Name).ValidName();
        RuleFor(r => r.Email).ValidEmail();
        RuleFor(r => r.Password).Custom((password, context) =>
        {
            if (PasswordPolicy.Check(password, context.InstanceToValidate.Email) is { } refused)
            {
                context.AddFailure(nameof(SignUpRequest.Password), refused);
            }
        });
    }
}
