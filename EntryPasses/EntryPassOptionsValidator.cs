using Microsoft.Extensions.Options;

namespace ConcertBooking.EntryPasses;

/// <summary>
/// The generated checks of <see cref="EntryPassOptions"/>, run under the section's name so that a failure names the
/// setting an operator writes (<c>EntryPass.SigningKey</c>).
/// </summary>
internal sealed partial class EntryPassOptionsValidator : IValidateOptions<EntryPassOptions>
{
    private static readonly Generated Checks = new();

    public ValidateOptionsResult Validate(string? name, EntryPassOptions options) => Checks.Validate(EntryPassOptions.SectionName, options);

    [OptionsValidator]
    private sealed partial class Generated : IValidateOptions<EntryPassOptions>;
}
