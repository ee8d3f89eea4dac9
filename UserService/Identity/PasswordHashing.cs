using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace ConcertBooking.UserService.Identity;

/// <summary>
/// Passwords hashed and verified with ASP.NET Core Identity's hasher (PBKDF2-HMAC-SHA512, a random salt per hash,
/// <c>Identity:PasswordHashIterations</c> rounds), after NFKC normalisation so that the same password typed on another
/// keyboard verifies. A password is never stored, logged, or put in an event: only its hash, in UserService's table.
/// </summary>
public sealed class PasswordHashing
{
    private readonly PasswordHasher<PasswordHashing> _hasher;

    /// <summary>
    /// A hash of a random password at the configured cost: an unknown email is verified against it, so that it takes
    /// as long to refuse as a wrong password and the timing does not tell which emails have accounts.
    /// </summary>
    private readonly string _decoyHash;

    public PasswordHashing(IOptions<IdentityIssuerOptions> options)
    {
        _hasher = new PasswordHasher<PasswordHashing>(Options.Create(new PasswordHasherOptions
        {
            CompatibilityMode = PasswordHasherCompatibilityMode.IdentityV3,
            IterationCount = options.Value.PasswordHashIterations,
        }));
        _decoyHash = _hasher.HashPassword(this, Convert.ToHexString(RandomNumberGenerator.GetBytes(32)));
    }

    public string Hash(string password) => _hasher.HashPassword(this, Normalize(password));

    /// <param name="hash">The stored hash, or null for a user that does not exist (or has no password): then a decoy is verified and it fails.</param>
    public PasswordVerificationResult Verify(string? hash, string password)
    {
        var result = _hasher.VerifyHashedPassword(this, hash ?? _decoyHash, Normalize(password));
        return hash is null ? PasswordVerificationResult.Failed : result;
    }

    /// <summary>NFKC, as NIST SP 800-63B asks of verifiers that accept Unicode; applied before hashing and before counting length.</summary>
    public static string Normalize(string password) => password.Normalize(NormalizationForm.FormKC);
}
