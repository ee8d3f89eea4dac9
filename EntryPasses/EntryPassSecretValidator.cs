using System.Text;
using ConcertBooking.Configuration;
using Microsoft.Extensions.Options;

namespace ConcertBooking.EntryPasses;

/// <summary>
/// Outside Development the entry-pass key must not be one this repository publishes: with it anyone could sign a
/// pass and skip the waiting queue. (A missing or short key is refused everywhere, by the attributes.)
/// </summary>
internal sealed class EntryPassSecretValidator(bool isDevelopment) : IValidateOptions<EntryPassOptions>
{
    public ValidateOptionsResult Validate(string? name, EntryPassOptions options) =>
        !isDevelopment && !string.IsNullOrEmpty(options.SigningKey) && DevelopmentSecrets.IsPublished(Encoding.UTF8.GetBytes(options.SigningKey))
            ? ValidateOptionsResult.Fail($"{EntryPassOptions.SectionName}:SigningKey is a development key published in this repository: "
                + "outside Development set a secret of your own (at least 32 characters), the same in TokenService and ConcertService.")
            : ValidateOptionsResult.Success;
}
