using System.Security.Claims;

namespace ConcertBooking.ServiceDefaults.Authentication;

/// <summary>Who is calling, as the authentication schemes established it: a user (from the token's <c>sub</c>) or an operator.</summary>
public static class Caller
{
    public const string RoleClaim = "role";
    public const string OperatorRole = "operator";

    /// <summary>The signed-in user's id; only on endpoints behind the user policy (the default), which guarantees it.</summary>
    public static Guid UserId(this ClaimsPrincipal principal) =>
        principal.TryGetUserId(out var userId)
            ? userId
            : throw new InvalidOperationException("The request has no signed-in user: the endpoint must require the user policy.");

    /// <summary>The user id of a bearer token's <c>sub</c> claim, when it holds a GUID.</summary>
    public static bool TryGetUserId(this ClaimsPrincipal principal, out Guid userId)
    {
        userId = Guid.Empty;
        var subject = principal.Identities
            .Where(identity => identity.IsAuthenticated && identity.AuthenticationType != OpsApiKeyAuthentication.SchemeName)
            .Select(identity => identity.FindFirst(AccessTokens.SubjectClaim)?.Value)
            .FirstOrDefault(value => value is not null);
        return Guid.TryParse(subject, out userId) && userId != Guid.Empty;
    }

    /// <summary>True when the request carried the operations key: only the key's own scheme makes an operator, never a token's claims.</summary>
    public static bool IsOperator(this ClaimsPrincipal principal) =>
        principal.Identities.Any(identity => identity.IsAuthenticated && identity.AuthenticationType == OpsApiKeyAuthentication.SchemeName
            && identity.HasClaim(RoleClaim, OperatorRole));
}
