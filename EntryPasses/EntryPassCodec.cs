using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace ConcertBooking.EntryPasses;

/// <summary>
/// Signs and verifies entry passes: <c>base64url(payload).base64url(HMAC-SHA256(payload))</c> where the payload is
/// <c>v1|user|concert|token|expiry-unix-seconds</c>. The one place both services take it from, so the format
/// cannot drift between the signer and the verifier.
/// </summary>
public sealed class EntryPassCodec(IOptions<EntryPassOptions> options, TimeProvider timeProvider)
{
    private const string Version = "v1";

    /// <summary>9999-12-31T23:59:59Z, the last second a <see cref="DateTimeOffset"/> holds: no signer writes a later expiry.</summary>
    private static readonly long MaxExpirySeconds = DateTimeOffset.MaxValue.ToUnixTimeSeconds();

    private byte[] Key => Encoding.UTF8.GetBytes(options.Value.SigningKey);

    /// <summary>
    /// The expiry a pass carries: whole seconds, rounded up, so an admission lasts at least as long as asked. A signer
    /// that records this one, not the one it asked for, says of its pass exactly what the verifier will.
    /// </summary>
    public static DateTimeOffset SignableExpiry(DateTimeOffset expiresAt)
    {
        var seconds = expiresAt.ToUnixTimeSeconds();
        var whole = DateTimeOffset.FromUnixTimeSeconds(seconds);
        return whole < expiresAt ? whole.AddSeconds(1) : whole;
    }

    public string Sign(EntryPassClaims claims)
    {
        var payload = string.Join('|', Version, claims.UserId.ToString("N"), claims.ConcertId.ToString("N"),
            claims.TokenId.ToString("N"), claims.ExpiresAt.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture));
        var payloadBytes = Encoding.UTF8.GetBytes(payload);
        return $"{Base64Url(payloadBytes)}.{Base64Url(HMACSHA256.HashData(Key, payloadBytes))}";
    }

    /// <summary>
    /// Checks the signature first (constant time), then the expiry, then that the pass is for this user and concert.
    /// A payload that does not parse, an expiry past the year 9999 included, is <see cref="EntryPassVerdict.Malformed"/>.
    /// </summary>
    public EntryPassVerdict Verify(string? pass, Guid userId, Guid concertId, out EntryPassClaims? claims)
    {
        claims = null;
        var parts = pass?.Split('.');
        if (parts is not { Length: 2 } || !TryFromBase64Url(parts[0], out var payloadBytes) || !TryFromBase64Url(parts[1], out var signature))
        {
            return EntryPassVerdict.Malformed;
        }

        // FixedTimeEquals: how long the comparison takes says nothing about how many leading bytes matched.
        if (!CryptographicOperations.FixedTimeEquals(HMACSHA256.HashData(Key, payloadBytes), signature))
        {
            return EntryPassVerdict.BadSignature;
        }

        var fields = Encoding.UTF8.GetString(payloadBytes).Split('|');
        if (fields.Length != 5 || fields[0] != Version
            || !Guid.TryParseExact(fields[1], "N", out var user) || !Guid.TryParseExact(fields[2], "N", out var concert)
            || !Guid.TryParseExact(fields[3], "N", out var token)
            || !long.TryParse(fields[4], NumberStyles.None, CultureInfo.InvariantCulture, out var expiresAtSeconds)
            || expiresAtSeconds > MaxExpirySeconds)
        {
            return EntryPassVerdict.Malformed;
        }

        claims = new EntryPassClaims(user, concert, token, DateTimeOffset.FromUnixTimeSeconds(expiresAtSeconds));
        if (claims.ExpiresAt <= timeProvider.GetUtcNow())
        {
            return EntryPassVerdict.Expired;
        }

        return user != userId ? EntryPassVerdict.WrongUser
            : concert != concertId ? EntryPassVerdict.WrongConcert
            : EntryPassVerdict.Valid;
    }

    private static string Base64Url(byte[] bytes) =>
        Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static bool TryFromBase64Url(string text, out byte[] bytes)
    {
        var base64 = text.Replace('-', '+').Replace('_', '/');
        base64 += new string('=', (4 - base64.Length % 4) % 4);
        bytes = new byte[base64.Length];
        if (text.Length == 0 || !Convert.TryFromBase64String(base64, bytes, out var written))
        {
            bytes = [];
            return false;
        }

        bytes = bytes[..written];
        return true;
    }
}
