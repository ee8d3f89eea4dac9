using Microsoft.IdentityModel.Tokens;

namespace ConcertBooking.ServiceDefaults.Authentication;

/// <summary>Where a service gets the public keys it checks access tokens with: configuration, or (UserService) its own signing keys.</summary>
public interface IIssuerKeySource
{
    /// <summary>Each key with its <c>KeyId</c> set to the <c>kid</c> of the tokens it signed.</summary>
    IReadOnlyList<SecurityKey> ValidationKeys { get; }
}
