using ConcertBooking.ServiceDefaults.Authentication;
using Microsoft.Extensions.Options;

namespace ConcertBooking.UserService.Identity;

/// <summary>
/// What the attributes cannot say of <c>Identity</c>: at least one signing key, each a P-256 private key under its own
/// id, the active one among them; outside Development none of the keys this repository publishes (anyone could sign
/// tokens with them); and, unless <paramref name="lowHashCostAllowed"/> (tests, the bench), outside Development a password
/// hashing cost no lower than the floor.
/// </summary>
internal sealed class IdentitySecretsValidator(bool isDevelopment, bool lowHashCostAllowed) : IValidateOptions<IdentityIssuerOptions>
{
    public ValidateOptionsResult Validate(string? name, IdentityIssuerOptions options)
    {
        const string section = IdentityIssuerOptions.SectionName;
        var failures = new List<string>();
        if (options.SigningKeys.Count == 0)
        {
            failures.Add($"{section}:SigningKeys is empty: configure a private key as {section}:SigningKeys:0:KeyId and {section}:SigningKeys:0:PrivateKeyPem, "
                + $"and name it in {section}:ActiveKeyId.");
        }

        for (var i = 0; i < options.SigningKeys.Count; i++)
        {
            var setting = $"{section}:SigningKeys:{i}:PrivateKeyPem";
            using var key = EcdsaKeys.ImportPrivate(options.SigningKeys[i].PrivateKeyPem, out var error);
            if (key is null)
            {
                failures.Add($"{setting} {error}.");
            }
            else if (!isDevelopment && EcdsaKeys.IsPublishedDevelopmentKey(key))
            {
                failures.Add($"{setting} is a development key published in this repository: outside Development configure a key of your own.");
            }
        }

        foreach (var duplicate in options.SigningKeys.GroupBy(k => k.KeyId, StringComparer.Ordinal).Where(g => g.Count() > 1))
        {
            failures.Add($"{section}:SigningKeys names key id '{duplicate.Key}' more than once.");
        }

        if (options.SigningKeys.Count > 0 && options.SigningKeys.All(k => k.KeyId != options.ActiveKeyId))
        {
            failures.Add($"{section}:ActiveKeyId '{options.ActiveKeyId}' is none of the key ids of {section}:SigningKeys.");
        }

        if (!isDevelopment && !lowHashCostAllowed && options.PasswordHashIterations < IdentityIssuerOptions.MinimumHashIterations)
        {
            failures.Add($"{section}:PasswordHashIterations is {options.PasswordHashIterations}: in production it must be at least "
                + $"{IdentityIssuerOptions.MinimumHashIterations}.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
