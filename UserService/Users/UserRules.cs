using ConcertBooking.ServiceDefaults;
using FluentValidation;

namespace ConcertBooking.UserService.Users;

/// <summary>
/// The name and email rules, shared by signup and change so the two cannot disagree. Neither may hold a control or
/// bidirectional formatting character (<see cref="PlainTextRules"/>).
/// </summary>
internal static class UserRules
{
    public const int NameMaxLength = 100;
    public const int EmailMaxLength = 254;

    public static IRuleBuilderOptions<T, string?> ValidName<T>(this IRuleBuilder<T, string?> rule) =>
        rule.Must(name => !string.IsNullOrWhiteSpace(name)).WithMessage("Name must not be empty or blank.")
            .Must(name => name is null || name.Trim().Length <= NameMaxLength)
            .WithMessage($"Name must be at most {NameMaxLength} characters.")
            .PlainText();

    public static IRuleBuilderOptions<T, string?> ValidEmail<T>(this IRuleBuilder<T, string?> rule) =>
        rule.Must(email => !string.IsNullOrWhiteSpace(email)).WithMessage("Email must not be empty.")
            .Must(email => email is null || email.Trim().Length <= EmailMaxLength)
            .WithMessage($"Email must be at most {EmailMaxLength} characters.")
            .PlainText()
            .Must(email => email is null || EmailAddress.IsWellFormed(email.Trim()))
            .WithMessage("Email must be a well-formed address such as name@example.com.");
}
