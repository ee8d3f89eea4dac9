using Microsoft.Extensions.Options;

namespace ConcertBooking.ServiceDefaults.Authentication;

/// <summary>
/// What the attributes cannot say of <c>Authentication:IssuerKeys</c>: each entry is a P-256 public key, no key id
/// twice, at least one key where the service has no other source of keys, and, outside Development, none of the
/// keys this repository publishes for development (a token signed with its private half, which anyone can read,
/// would pass).
/// </summary>
internal sealed class IssuerKeysValidator(bool isDevelopment, bool keysRequired) : IValidateOptions<ServiceAuthenticationOptions>
{
    public ValidateOptionsResult Validate(string? name, ServiceAuthenticationOptions options)
    {
        var failures = new List<string>();
        if (keysRequired && options.IssuerKeys.Count == 0)
        {
            failures.Add($"{ServiceAuthenticationOptions.SectionName}:IssuerKeys is empty: configure UserService's public key(s) "
                + $"as {ServiceAuthenticationOptions.SectionName}:IssuerKeys:0:KeyId and {ServiceAuthenticationOptions.SectionName}:IssuerKeys:0:PublicKeyPem.");
        }

        for (var i = 0; i < options.IssuerKeys.Count; i++)
        {
            var entry = options.IssuerKeys[i];
            var setting = $"{ServiceAuthenticationOptions.SectionName}:IssuerKeys:{i}:PublicKeyPem";
            using var key = EcdsaKeys.ImportPublic(entry.PublicKeyPem, out var error);
            if (key is null)
            {
                failures.Add($"{setting} {error}.");
            }
            else if (!isDevelopment && EcdsaKeys.IsPublishedDevelopmentKey(key))
            {
                failures.Add($"{setting} is a development key published in this repository: outside Development configure UserService's own public key.");
            }
        }

        foreach (var duplicate in options.IssuerKeys.GroupBy(k => k.KeyId, StringComparer.Ordinal).Where(g => g.Count() > 1))
        {
            failures.Add($"{ServiceAuthenticationOptions.SectionName}:IssuerKeys names key id '{duplicate.Key}' more than once.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
