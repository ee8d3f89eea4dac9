using System.ComponentModel.DataAnnotations;

namespace ConcertBooking.UserService.Identity;

/// <summary>One private key UserService signs access tokens with (<c>Identity:SigningKeys:N</c>).</summary>
public sealed class SigningKeyOptions
{
    /// <summary>Written as the tokens' <c>kid</c>; the other services hold the public half under the same id.</summary>
    [Required]
    [MaxLength(64)]
    public string KeyId { get; set; } = "";

    /// <summary>The ECDSA P-256 private key, PEM (<c>-----BEGIN PRIVATE KEY-----</c> or <c>-----BEGIN EC PRIVATE KEY-----</c>).</summary>
    [Required]
    public string PrivateKeyPem { get; set; } = "";
}
