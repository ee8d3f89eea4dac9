using System.Text;
using ConcertBooking.Configuration;
using Microsoft.Extensions.Options;

namespace ConcertBooking.ServiceDefaults;

/// <summary>
/// Outside Development an operations key, when one is set, must be long enough not to be guessed and must not be a
/// secret this repository publishes: it reads dead letters and replays them.
/// </summary>
internal sealed class OpsKeyStrengthValidator(bool isDevelopment) : IValidateOptions<OpsOptions>
{
    public ValidateOptionsResult Validate(string? name, OpsOptions options)
    {
        if (isDevelopment || string.IsNullOrEmpty(options.ApiKey))
        {
            return ValidateOptionsResult.Success;
        }

        if (options.ApiKey.Length < OpsOptions.MinimumKeyLength)
        {
            return ValidateOptionsResult.Fail(
                $"{OpsOptions.SectionName}:ApiKey is shorter than {OpsOptions.MinimumKeyLength} characters: outside Development use a long random key (or none, which turns the ops API off).");
        }

        return DevelopmentSecrets.IsPublished(Encoding.UTF8.GetBytes(options.ApiKey))
            ? ValidateOptionsResult.Fail($"{OpsOptions.SectionName}:ApiKey is a development key published in this repository: outside Development set a key of your own.")
            : ValidateOptionsResult.Success;
    }
}
