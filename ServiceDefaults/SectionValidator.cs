using Microsoft.Extensions.Options;

namespace ConcertBooking.ServiceDefaults;

/// <summary>
/// Runs a generated validator under the configuration section's name, so its messages name the setting an operator
/// writes (<c>Wallets.MaxCharge</c>) rather than the class (<c>WalletOptions.MaxCharge</c>).
/// </summary>
internal sealed class SectionValidator<TOptions>(string sectionName, IValidateOptions<TOptions> generated) : IValidateOptions<TOptions>
    where TOptions : class
{
    public ValidateOptionsResult Validate(string? name, TOptions options) => generated.Validate(sectionName, options);
}
