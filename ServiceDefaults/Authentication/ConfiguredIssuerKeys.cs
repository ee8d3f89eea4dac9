using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;

namespace ConcertBooking.ServiceDefaults.Authentication;

/// <summary>
/// <c>Authentication:IssuerKeys</c>, read once. No call to UserService, ever: the keys are configuration, so tokens
/// are checked while UserService is down.
/// </summary>
internal sealed class ConfiguredIssuerKeys(IOptions<ServiceAuthenticationOptions> options) : IIssuerKeySource
{
    private readonly Lazy<IReadOnlyList<SecurityKey>> _keys = new(() => Read(options.Value));

    public IReadOnlyList<SecurityKey> ValidationKeys => _keys.Value;

    private static List<SecurityKey> Read(ServiceAuthenticationOptions options)
    {
        var keys = new List<SecurityKey>();
        foreach (var entry in options.IssuerKeys)
        {
            // An entry that does not parse has already stopped the service at start (IssuerKeysValidator).
            if (EcdsaKeys.ImportPublic(entry.PublicKeyPem, out _) is { } key)
            {
                keys.Add(new ECDsaSecurityKey(key) { KeyId = entry.KeyId });
            }
        }

        return keys;
    }
}
