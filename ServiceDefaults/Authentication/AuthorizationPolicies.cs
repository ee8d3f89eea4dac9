using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Authorization;

namespace ConcertBooking.ServiceDefaults.Authentication;

/// <summary>
/// Who may call: a signed-in user (the default, and the fallback for every endpoint that says nothing), an operator
/// (the ops key), or either.
/// </summary>
public static class AuthorizationPolicies
{
    /// <summary>A valid access token whose <c>sub</c> is a user id. Every endpoint needs it unless it allows anonymous callers.</summary>
    public const string User = "User";

    /// <summary>The operations key in <c>X-Api-Key</c>.</summary>
    public const string Operator = "Operator";

    /// <summary>A signed-in user or an operator, e.g. to read a replicated user.</summary>
    public const string UserOrOperator = "UserOrOperator";

    internal static AuthorizationPolicy UserPolicy { get; } = new AuthorizationPolicyBuilder(JwtBearerDefaults.AuthenticationScheme)
        .RequireAuthenticatedUser()
        .RequireAssertion(context => context.User.TryGetUserId(out _))
        .Build();

    internal static AuthorizationPolicy OperatorPolicy { get; } = new AuthorizationPolicyBuilder(OpsApiKeyAuthentication.SchemeName)
        .RequireAuthenticatedUser()
        .RequireAssertion(context => context.User.IsOperator())
        .Build();

    internal static AuthorizationPolicy UserOrOperatorPolicy { get; } =
        new AuthorizationPolicyBuilder(JwtBearerDefaults.AuthenticationScheme, OpsApiKeyAuthentication.SchemeName)
            .RequireAuthenticatedUser()
            .RequireAssertion(context => context.User.IsOperator() || context.User.TryGetUserId(out _))
            .Build();
}
