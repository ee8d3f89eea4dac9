using System.Security.Cryptography;

namespace ConcertBooking.Configuration;

/// <summary>
/// The secrets this repository publishes for development (the keys in the services' appsettings.Development.json,
/// and those that earlier versions shipped in appsettings.json or the bench), known by their SHA-256 so a service
/// outside Development can refuse them: anyone can read them, so anything they sign could be forged.
/// </summary>
public static class DevelopmentSecrets
{
    /// <summary>
    /// SHA-256 of each published secret: of an ECDSA key's SubjectPublicKeyInfo (DER), or of an HMAC key's UTF-8 bytes.
    /// Add the fingerprint of every development key committed from now on.
    /// </summary>
    private static readonly HashSet<string> Fingerprints = new(StringComparer.OrdinalIgnoreCase)
    {
        // Identity:SigningKeys "dev-1" (UserService) and its public half, Authentication:IssuerKeys "dev-1" (the others).
        "3893f00c9e0d929f910026e4968e502d42b6cc705233aba093f6531e5ce2a566",
        // EntryPass:SigningKey of appsettings.Development.json (ConcertService, TokenService), once in appsettings.json.
        "c7b6ecadee7bd891dfdc73c8ba406ce3ed3cc7dbe89d35ebe37aa0a1679960a4",
        // The entry-pass key the bench once committed.
        "47e6a3baa1da2fa0a7052645c79e4592009500ca030a55138ad56366fe77a819",
    };

    /// <summary>True when <paramref name="material"/> is one of the secrets published in this repository.</summary>
    public static bool IsPublished(ReadOnlySpan<byte> material) => Fingerprints.Contains(Convert.ToHexString(SHA256.HashData(material)));
}
