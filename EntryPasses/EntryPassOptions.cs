using System.ComponentModel.DataAnnotations;

namespace ConcertBooking.EntryPasses;

/// <summary>
/// Bound from <c>EntryPass</c>. TokenService signs with the key and ConcertService verifies with the same key,
/// so both must be configured with the same value; it never travels between the services. The development key is in
/// their appsettings.Development.json only; elsewhere it must be set, and a published key stops the service at start.
/// </summary>
public sealed class EntryPassOptions
{
    public const string SectionName = "EntryPass";

    /// <summary>The HMAC-SHA256 key (UTF-8). At least 32 characters so it is not guessable by brute force.</summary>
    [Required]
    [MinLength(32)]
    public string SigningKey { get; set; } = "";
}
