using FluentValidation;

namespace ConcertBooking.UserService.Identity;

/// <summary>Only presence and bounds: the password's rules are for choosing one, not for trying one.</summary>
public sealed class SignInRequestValidator : AbstractValidator<SignInRequest>
{
    public SignInRequestValidator()
    {
        RuleFor(r => r.Email).NotEmpty().WithMessage("Email is required.").MaximumLength(254).WithMessage("Email must be at most 254 characters.");
        RuleFor(r => r.Password).NotEmpty().WithMessage("Password is required.")
            .MaximumLength(PasswordPolicy.MaximumLength * 2).WithMessage($"Password must be at most {PasswordPolicy.MaximumLength} characters.");
    }
}
