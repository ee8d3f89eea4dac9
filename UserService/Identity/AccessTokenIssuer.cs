using ConcertBooking.ServiceDefaults.Authentication;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace ConcertBooking.UserService.Identity;

/// <summary>
/// Signs a user's access token: <c>sub</c> = the user id, <c>iss</c> and <c>aud</c> from <c>Authentication</c>, a
/// unique <c>jti</c>, issued now and expiring after <c>Identity:AccessTokenLifetime</c>; ES256 with the active key's
/// <c>kid</c>, typed <c>at+jwt</c>. Nothing else about the user is in it.
/// </summary>
public sealed class AccessTokenIssuer(
    SigningKeyRing keys, IOptions<IdentityIssuerOptions> identity, IOptions<ServiceAuthenticationOptions> authentication, TimeProvider time)
{
    private static readonly JsonWebTokenHandler Handler = new() { SetDefaultTimesOnTokenCreation = false };

    public AccessToken Issue(Guid userId)
    {
        var now = time.GetUtcNow();
        // Whole seconds, as the token's exp claim says it.
        var expiresAt = DateTimeOffset.FromUnixTimeSeconds((now + identity.Value.AccessTokenLifetime).ToUnixTimeSeconds());
        var token = Handler.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = authentication.Value.Issuer,
            Audience = authentication.Value.Audience,
            IssuedAt = now.UtcDateTime,
            NotBefore = now.UtcDateTime,
            Expires = expiresAt.UtcDateTime,
            TokenType = AccessTokens.TokenType,
            Claims = new Dictionary<string, object>
            {
                [AccessTokens.SubjectClaim] = userId.ToString(),
                [JwtRegisteredClaimNames.Jti] = Guid.NewGuid().ToString("N"),
            },
            SigningCredentials = keys.Active,
        });
        return new AccessToken(token, expiresAt);
    }
}
