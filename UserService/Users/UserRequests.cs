using FluentValidation;

namespace ConcertBooking.UserService.Users;

public sealed record SignUpRequest(string? Name, string? Email);

public sealed record ChangeUserRequest(string? Name, string? Email);

public sealed record UserResponse(Guid Id, string Name, string Email, long Version)
{
    public static UserResponse From(User user) => new(user.Id, user.Name, user.Email, user.Version);
}

internal static class UserRules
{
    public const int NameMaxLength = 100;
    public const int EmailMaxLength = 254;

    public static IRuleBuilderOptions<T, string?> ValidName<T>(this IRuleBuilder<T, string?> rule) =>
        rule.Must(name => !string.IsNullOrWhiteSpace(name)).WithMessage("Name must not be empty or blank.")
            .Must(name => name is null || name.Trim().Length <= NameMaxLength)
            .WithMessage($"Name must be at most {NameMaxLength} characters.");

    public static IRuleBuilderOptions<T, string?> ValidEmail<T>(this IRuleBuilder<T, string?> rule) =>
        rule.Must(email => !string.IsNullOrWhiteSpace(email)).WithMessage("Email must not be empty.")
            .Must(email => email is null || email.Trim().Length <= EmailMaxLength)
            .WithMessage($"Email must be at most {EmailMaxLength} characters.")
            .Must(email => email is null || EmailAddress.IsWellFormed(email.Trim()))
            .WithMessage("Email must be a well-formed address such as name@example.com.");
}

public sealed class SignUpRequestValidator : AbstractValidator<SignUpRequest>
{
    public SignUpRequestValidator()
    {
        RuleFor(r => r.Name).ValidName();
        RuleFor(r => r.Email).ValidEmail();
    }
}

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
