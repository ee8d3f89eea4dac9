using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace ConcertBooking.ServiceDefaults.Authentication;

/// <summary>
/// Bound from <c>Authentication</c> in every service: who issues the access tokens, for whom, and the public keys they
/// are checked with. Nothing here is secret; UserService's private keys are under <c>Identity</c>.
/// </summary>
public sealed class ServiceAuthenticationOptions
{
    public const string SectionName = "Authentication";

    /// <summary>The <c>iss</c> UserService writes and every service requires.</summary>
    [Required]
    [MaxLength(200)]
    public string Issuer { get; set; } = "";

    /// <summary>The <c>aud</c> UserService writes and every service requires.</summary>
    [Required]
    [MaxLength(200)]
    public string Audience { get; set; } = "";

    /// <summary>How far the clocks of UserService and this service may disagree when expiry is checked.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:05:00")]
    public TimeSpan ClockSkew { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// UserService's public keys; a token is checked with the one its <c>kid</c> names. Two at once during a rotation.
    /// Required except in UserService, which checks with the public halves of its own signing keys.
    /// </summary>
    [ValidateEnumeratedItems]
    public List<IssuerKeyOptions> IssuerKeys { get; set; } = [];

    /// <summary>
    /// How many checked access tokens this service remembers until they expire, so that a client's next request with
    /// the same token skips the signature check (<see cref="ValidatedTokenCache"/>); 0 checks every request afresh.
    /// A remembered token costs a few kilobytes.
    /// </summary>
    [Range(0, 1_000_000)]
    public int ValidatedTokenCacheSize { get; set; } = 20_000;
}
