using System.Security.Cryptography;

namespace ConcertBooking.Testing;

/// <summary>
/// The keys a test run or a bench run gives the services it starts, made fresh in each process and never written
/// anywhere: an ECDSA P-256 pair for access tokens (UserService signs, the others check), the entry-pass key, and an
/// operations key. The services run outside Development there, so they would refuse the development keys anyway.
/// </summary>
public static class TestSecrets
{
    public const string KeyId = "test-run-1";

    /// <summary>What every service checks the tokens' <c>iss</c> and <c>aud</c> against (the values of appsettings.json).</summary>
    public const string Issuer = "concertbooking-users";

    public const string Audience = "concertbooking";

    /// <summary>Low, so thousands of signups and sign-ins stay cheap: allowed in Testing, refused in Production.</summary>
    public const int PasswordHashIterations = 1_000;

    private static readonly Lazy<ECDsa> Key = new(() => ECDsa.Create(ECCurve.NamedCurves.nistP256));

    /// <summary>The run's token-signing key: tests sign tokens of their own with it (an unknown user's, an expired one).</summary>
    public static ECDsa SigningKey => Key.Value;

    public static string PrivateKeyPem => Key.Value.ExportPkcs8PrivateKeyPem();

    public static string PublicKeyPem => Key.Value.ExportSubjectPublicKeyInfoPem();

    public static string EntryPassKey { get; } = RandomText(48);

    public static string OpsApiKey { get; } = RandomText(40);

    /// <summary>A fresh P-256 pair, e.g. the next key of a rotation.</summary>
    public static ECDsa NewKey() => ECDsa.Create(ECCurve.NamedCurves.nistP256);

    /// <summary>
    /// The settings, as configuration keys (<c>Identity:SigningKeys:0:KeyId</c>), that give <paramref name="service"/>
    /// ("users", "concert", "payment", "token") this run's keys. The ops key is not among them: a test that wants the
    /// ops API turns it on.
    /// </summary>
    public static IEnumerable<KeyValuePair<string, string>> Settings(string service)
    {
        yield return new("Authentication:Issuer", Issuer);
        yield return new("Authentication:Audience", Audience);
        if (service == "users")
        {
            yield return new("Identity:ActiveKeyId", KeyId);
            yield return new("Identity:SigningKeys:0:KeyId", KeyId);
            yield return new("Identity:SigningKeys:0:PrivateKeyPem", PrivateKeyPem);
            yield return new("Identity:PasswordHashIterations", PasswordHashIterations.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }
        else
        {
            yield return new("Authentication:IssuerKeys:0:KeyId", KeyId);
            yield return new("Authentication:IssuerKeys:0:PublicKeyPem", PublicKeyPem);
        }

        if (service is "concert" or "token")
        {
            yield return new("EntryPass:SigningKey", EntryPassKey);
        }
    }

    /// <summary>The same settings as environment variables (<c>Identity__SigningKeys__0__KeyId</c>), for a service process.</summary>
    public static IEnumerable<KeyValuePair<string, string>> EnvironmentSettings(string service) =>
        Settings(service).Select(setting => new KeyValuePair<string, string>(setting.Key.Replace(":", "__", StringComparison.Ordinal), setting.Value));

    private static string RandomText(int length) => Convert.ToBase64String(RandomNumberGenerator.GetBytes(length)).Replace('+', '-').Replace('/', '_')[..length];
}
