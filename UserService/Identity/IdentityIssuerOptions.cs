using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace ConcertBooking.UserService.Identity;

/// <summary>
/// Bound from <c>Identity</c>: UserService's side of sign-in. The private signing keys (two during a rotation, the
/// active one named), how long an access token lives, what a password hash costs, and when repeated failures lock
/// an email out. Issuer and audience come from <c>Authentication</c>, shared with every service.
/// </summary>
public sealed class IdentityIssuerOptions
{
    public const string SectionName = "Identity";

    /// <summary>The least hashing cost accepted outside Development and Testing: ASP.NET Core Identity's own default.</summary>
    public const int MinimumHashIterations = 100_000;

    /// <summary>The environment `make bench` runs the services in: Production in all but the hashing cost it may lower.</summary>
    public const string BenchEnvironment = "Bench";

    /// <summary>The <c>KeyId</c> of the signing key new tokens are signed with; the others only check tokens still in flight.</summary>
    [Required]
    [MaxLength(64)]
    public string ActiveKeyId { get; set; } = "";

    [ValidateEnumeratedItems]
    public List<SigningKeyOptions> SigningKeys { get; set; } = [];

    /// <summary>Short, since a token cannot be revoked before it expires (a deleted user's token stops working with the replicas).</summary>
    [Range(typeof(TimeSpan), "00:01:00", "01:00:00")]
    public TimeSpan AccessTokenLifetime { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>
    /// PBKDF2-HMAC-SHA512 iterations of a new password hash (ASP.NET Core Identity's hasher, format v3; OWASP's figure
    /// for this function is 210,000). A hash stores its own count, so old hashes keep verifying after a change, and a
    /// sign-in re-hashes a password whose count is lower. At least <see cref="MinimumHashIterations"/> outside Development, Testing
    /// and the bench's environment.
    /// </summary>
    [Range(1, 10_000_000)]
    public int PasswordHashIterations { get; set; } = 210_000;

    /// <summary>Failed sign-ins in a row after which the email is locked out for <see cref="LockoutDuration"/>.</summary>
    [Range(1, 100)]
    public int MaxFailedSignIns { get; set; } = 5;

    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan LockoutDuration { get; set; } = TimeSpan.FromMinutes(5);
}
