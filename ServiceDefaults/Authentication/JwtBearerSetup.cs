using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace ConcertBooking.ServiceDefaults.Authentication;

/// <summary>
/// The bearer scheme's checks, from <see cref="ServiceAuthenticationOptions"/>: signature by one of the issuer's keys
/// (chosen by <c>kid</c>), ES256 only, type <c>at+jwt</c>, issuer, audience, expiry with a small clock skew. Claims keep
/// their JWT names (<c>sub</c>), with no mapping to the long WS-* claim types. A token that passed is remembered until it
/// expires (<see cref="ValidatedTokenCache"/>).
/// </summary>
internal sealed class JwtBearerSetup(IOptions<ServiceAuthenticationOptions> options, IEnumerable<IIssuerKeySource> keySources, TimeProvider time)
    : IConfigureNamedOptions<JwtBearerOptions>
{
    public void Configure(string? name, JwtBearerOptions bearer)
    {
        if (name != JwtBearerDefaults.AuthenticationScheme)
        {
            return;
        }

        var settings = options.Value;
        bearer.TokenHandlers.Clear();
        bearer.TokenHandlers.Add(new ValidatedTokenCache(new JsonWebTokenHandler { MapInboundClaims = false }, time, settings.ValidatedTokenCacheSize));
        bearer.MapInboundClaims = false;
        bearer.SaveToken = false;
        bearer.TokenValidationParameters = new TokenValidationParameters
        {
            ValidIssuer = settings.Issuer,
            ValidAudience = settings.Audience,
            IssuerSigningKeys = keySources.SelectMany(source => source.ValidationKeys).ToList(),
            ValidAlgorithms = [AccessTokens.Algorithm],
            ValidTypes = [AccessTokens.TokenType],
            ValidateIssuer = true,
            ValidateAudience = true,
            ValidateLifetime = true,
            ValidateIssuerSigningKey = true,
            RequireSignedTokens = true,
            RequireExpirationTime = true,
            ClockSkew = settings.ClockSkew,
            NameClaimType = AccessTokens.SubjectClaim,
        };
    }

    public void Configure(JwtBearerOptions bearer) => Configure(Options.DefaultName, bearer);
}
