using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ConcertBooking.ServiceDefaults.Authentication;

/// <summary>
/// The operator's credential: <c>Ops:ApiKey</c> in the <c>X-Api-Key</c> header, and nowhere else (a key in a URL
/// ends up in logs, proxies and browser history). Compared in constant time. Without a configured key nobody is an
/// operator.
/// </summary>
internal sealed class OpsApiKeyAuthentication(
    IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder, IOptions<OpsOptions> ops)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "OpsApiKey";

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var configured = ops.Value.ApiKey;
        if (string.IsNullOrEmpty(configured) || Request.Headers[OpsApi.HeaderName].FirstOrDefault() is not { Length: > 0 } presented)
        {
            return Task.FromResult(AuthenticateResult.NoResult());
        }

        // Hashing both first makes the comparison constant-time in the key's length as well as its content.
        if (!CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(presented)), SHA256.HashData(Encoding.UTF8.GetBytes(configured))))
        {
            return Task.FromResult(AuthenticateResult.Fail($"The {OpsApi.HeaderName} header does not hold the operations key."));
        }

        var identity = new ClaimsIdentity([new Claim(Caller.RoleClaim, Caller.OperatorRole)], SchemeName, nameType: null, roleType: Caller.RoleClaim);
        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName)));
    }
}
