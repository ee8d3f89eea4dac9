using Microsoft.IdentityModel.Tokens;

namespace ConcertBooking.ServiceDefaults.Authentication;

/// <summary>
/// The shape of the access tokens UserService issues and every service checks: a JWT signed ES256 with a <c>kid</c>
/// header, typed <c>at+jwt</c> (RFC 9068), whose <c>sub</c> is the user's id.
/// </summary>
public static class AccessTokens
{
    /// <summary>The claim holding the user's id (a GUID string). Inbound claim mapping is off, so it keeps this name.</summary>
    public const string SubjectClaim = "sub";

    /// <summary>The JWT <c>typ</c> header: a token of another type (an ID token, say) is not an access token here.</summary>
    public const string TokenType = "at+jwt";

    /// <summary>ECDSA on P-256 with SHA-256; the only algorithm accepted, so no token can choose a weaker one.</summary>
    public const string Algorithm = SecurityAlgorithms.EcdsaSha256;
}
