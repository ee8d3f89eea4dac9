using System.Security.Cryptography;
using ConcertBooking.ServiceDefaults.Authentication;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace ConcertBooking.Tests.Infrastructure;

/// <summary>
/// Access tokens a test signs itself, with the run's key (<see cref="TestSecrets"/>) or another: for a user that does
/// not exist, an expired token, a forged one. UserService issues the ordinary ones.
/// </summary>
public static class TestTokens
{
    private static readonly JsonWebTokenHandler Handler = new() { SetDefaultTimesOnTokenCreation = false };

    public static string Issue(
        Guid userId, ECDsa? key = null, string keyId = TestSecrets.KeyId, DateTimeOffset? expiresAt = null,
        string issuer = TestSecrets.Issuer, string audience = TestSecrets.Audience, string algorithm = AccessTokens.Algorithm,
        string tokenType = AccessTokens.TokenType)
    {
        var expires = expiresAt ?? DateTimeOffset.UtcNow.AddMinutes(5);
        var issuedAt = expires.AddMinutes(-15);
        return Handler.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = issuer,
            Audience = audience,
            IssuedAt = issuedAt.UtcDateTime,
            NotBefore = issuedAt.UtcDateTime,
            Expires = expires.UtcDateTime,
            TokenType = tokenType,
            Claims = new Dictionary<string, object> { [AccessTokens.SubjectClaim] = userId.ToString() },
            SigningCredentials = new SigningCredentials(new ECDsaSecurityKey(key ?? TestSecrets.SigningKey) { KeyId = keyId }, algorithm),
        });
    }
}
