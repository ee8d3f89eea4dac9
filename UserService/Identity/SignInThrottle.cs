using System.Security.Cryptography;
using System.Text;

namespace ConcertBooking.UserService.Identity;

/// <summary>
/// The failed sign-ins in a row for one email, and until when it is locked out. Kept for any email tried, known or
/// not, so a lockout says nothing about which emails have accounts; keyed by a hash of the normalised email, so the
/// emails people mistype (or attackers try) are not stored.
/// </summary>
public sealed class SignInThrottle
{
    public required string Key { get; set; }

    /// <summary>Attempts since the last success or lockout, counted before each password is checked.</summary>
    public int Failures { get; set; }

    public DateTimeOffset? LockedUntil { get; set; }

    /// <summary>Hex SHA-256 of the normalised email: 64 characters.</summary>
    public static string KeyFor(string normalizedEmail) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(normalizedEmail)));

    public const int KeyLength = 64;
}
