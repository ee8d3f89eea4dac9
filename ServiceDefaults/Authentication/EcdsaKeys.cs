using System.Security.Cryptography;
using ConcertBooking.Configuration;

namespace ConcertBooking.ServiceDefaults.Authentication;

/// <summary>
/// Reads the ECDSA P-256 keys of the access tokens from PEM, the form they are configured in: a public key
/// (<c>BEGIN PUBLIC KEY</c>) where tokens are checked, a private key (<c>BEGIN PRIVATE KEY</c> or
/// <c>BEGIN EC PRIVATE KEY</c>) where they are signed.
/// </summary>
public static class EcdsaKeys
{
    /// <summary>The curve ES256 signs on (NIST P-256, secp256r1).</summary>
    public const string P256Oid = "1.2.840.10045.3.1.7";

    /// <returns>Null and the reason when the text is not a P-256 public key.</returns>
    public static ECDsa? ImportPublic(string? pem, out string? error) => Import(pem, isPrivate: false, out error);

    /// <returns>Null and the reason when the text is not a P-256 private key.</returns>
    public static ECDsa? ImportPrivate(string? pem, out string? error) => Import(pem, isPrivate: true, out error);

    /// <summary>True when the key (or the public half of a private key) is one of the keys published for development.</summary>
    public static bool IsPublishedDevelopmentKey(ECDsa key) => DevelopmentSecrets.IsPublished(key.ExportSubjectPublicKeyInfo());

    private static ECDsa? Import(string? pem, bool isPrivate, out string? error)
    {
        error = null;
        if (string.IsNullOrWhiteSpace(pem))
        {
            error = "is missing";
            return null;
        }

        var key = ECDsa.Create();
        try
        {
            key.ImportFromPem(pem);
        }
        catch (Exception exception) when (exception is ArgumentException or CryptographicException)
        {
            key.Dispose();
            error = $"is not a PEM-encoded ECDSA {(isPrivate ? "private" : "public")} key";
            return null;
        }

        var parameters = key.ExportParameters(includePrivateParameters: false);
        if (!IsP256(parameters.Curve))
        {
            key.Dispose();
            error = "is not on the P-256 curve that ES256 needs";
            return null;
        }

        if (isPrivate && !HasPrivateKey(key))
        {
            key.Dispose();
            error = "holds no private key";
            return null;
        }

        return key;
    }

    private static bool IsP256(ECCurve curve) =>
        curve.IsNamed && (curve.Oid.Value == P256Oid || P256Names.Contains(curve.Oid.FriendlyName ?? ""));

    private static readonly HashSet<string> P256Names = new(StringComparer.OrdinalIgnoreCase) { "nistP256", "ECDSA_P256", "prime256v1", "secp256r1" };

    private static bool HasPrivateKey(ECDsa key)
    {
        try
        {
            return key.ExportParameters(includePrivateParameters: true).D is { Length: > 0 };
        }
        catch (CryptographicException)
        {
            return false;
        }
    }
}
