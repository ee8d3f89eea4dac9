using System.ComponentModel.DataAnnotations;

namespace ConcertBooking.ServiceDefaults.Authentication;

/// <summary>One of UserService's public keys (<c>Authentication:IssuerKeys:N</c>) that access tokens are checked with.</summary>
public sealed class IssuerKeyOptions
{
    /// <summary>The <c>kid</c> header of the tokens this key signed.</summary>
    [Required]
    [MaxLength(64)]
    public string KeyId { get; set; } = "";

    /// <summary>The ECDSA P-256 public key, PEM (<c>-----BEGIN PUBLIC KEY-----</c>).</summary>
    [Required]
    public string PublicKeyPem { get; set; } = "";
}
