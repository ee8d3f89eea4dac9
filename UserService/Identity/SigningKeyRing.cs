using System.Security.Cryptography;
using ConcertBooking.ServiceDefaults.Authentication;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;

namespace ConcertBooking.UserService.Identity;

/// <summary>
/// <c>Identity:SigningKeys</c>, read once: the active key signs new tokens; every key (active or retiring) checks the
/// tokens UserService itself receives, by their public halves.
/// </summary>
public sealed class SigningKeyRing(IOptions<IdentityIssuerOptions> options) : IIssuerKeySource
{
    private readonly Lazy<(SigningCredentials Active, IReadOnlyList<SecurityKey> Public)> _keys = new(() => Read(options.Value));

    /// <summary>The active private key, ES256, with its <c>kid</c>.</summary>
    public SigningCredentials Active => _keys.Value.Active;

    public IReadOnlyList<SecurityKey> ValidationKeys => _keys.Value.Public;

    private static (SigningCredentials, IReadOnlyList<SecurityKey>) Read(IdentityIssuerOptions options)
    {
        SigningCredentials? active = null;
        var validation = new List<SecurityKey>();
        foreach (var entry in options.SigningKeys)
        {
            // A key that does not parse has already stopped the service at start (IdentitySecretsValidator).
            if (EcdsaKeys.ImportPrivate(entry.PrivateKeyPem, out _) is not { } key)
            {
                continue;
            }

            var publicHalf = ECDsa.Create(key.ExportParameters(includePrivateParameters: false));
            validation.Add(new ECDsaSecurityKey(publicHalf) { KeyId = entry.KeyId });
            if (entry.KeyId == options.ActiveKeyId)
            {
                active = new SigningCredentials(new ECDsaSecurityKey(key) { KeyId = entry.KeyId }, AccessTokens.Algorithm);
            }
        }

        return (active ?? throw new InvalidOperationException($"{IdentityIssuerOptions.SectionName}:ActiveKeyId names no usable signing key."), validation);
    }
}
