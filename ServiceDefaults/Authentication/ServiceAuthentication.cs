using ConcertBooking.Configuration;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace ConcertBooking.ServiceDefaults.Authentication;

public static class ServiceAuthentication
{
    /// <summary>
    /// Access tokens checked locally with UserService's public keys from <c>Authentication:IssuerKeys</c> (never a call
    /// to UserService), the operations key, and the policies: <c>RequireAuthorization()</c> asks for a signed-in user.
    /// There is no fallback policy, so that a request no endpoint takes (404, 405, 415) gets that answer rather than a
    /// 401; instead a test holds every endpoint of every service to saying who may call it. All settings are checked at start.
    /// </summary>
    public static IHostApplicationBuilder AddServiceAuthentication(this IHostApplicationBuilder builder) =>
        builder.AddServiceAuthentication(issuerKeysRequired: true);

    /// <summary>
    /// As <see cref="AddServiceAuthentication(IHostApplicationBuilder)"/>, for the issuer itself: it checks tokens with
    /// the public halves of its own signing keys (<typeparamref name="TOwnKeys"/>), so <c>Authentication:IssuerKeys</c>
    /// may stay empty there.
    /// </summary>
    public static IHostApplicationBuilder AddServiceAuthentication<TOwnKeys>(this IHostApplicationBuilder builder)
        where TOwnKeys : class, IIssuerKeySource
    {
        builder.Services.AddSingleton<IIssuerKeySource>(services => services.GetRequiredService<TOwnKeys>());
        return builder.AddServiceAuthentication(issuerKeysRequired: false);
    }

    private static IHostApplicationBuilder AddServiceAuthentication(this IHostApplicationBuilder builder, bool issuerKeysRequired)
    {
        var isDevelopment = builder.Environment.IsDevelopment();
        builder.Services.AddValidatedOptions<ServiceAuthenticationOptions, ServiceAuthenticationOptionsValidator>(ServiceAuthenticationOptions.SectionName);
        builder.Services.AddSingleton<IValidateOptions<ServiceAuthenticationOptions>>(new IssuerKeysValidator(isDevelopment, issuerKeysRequired));
        builder.Services.AddValidatedOptions<OpsOptions, OpsOptionsValidator>(OpsOptions.SectionName);
        builder.Services.AddSingleton<IValidateOptions<OpsOptions>>(new OpsKeyStrengthValidator(isDevelopment));
        builder.Services.AddSingleton<IIssuerKeySource, ConfiguredIssuerKeys>();
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<IConfigureOptions<JwtBearerOptions>, JwtBearerSetup>();

        builder.Services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme)
            .AddJwtBearer()
            .AddScheme<AuthenticationSchemeOptions, OpsApiKeyAuthentication>(OpsApiKeyAuthentication.SchemeName, configureOptions: null);
        builder.Services.AddAuthorizationBuilder()
            .SetDefaultPolicy(AuthorizationPolicies.UserPolicy)
            .AddPolicy(AuthorizationPolicies.User, AuthorizationPolicies.UserPolicy)
            .AddPolicy(AuthorizationPolicies.Operator, AuthorizationPolicies.OperatorPolicy)
            .AddPolicy(AuthorizationPolicies.UserOrOperator, AuthorizationPolicies.UserOrOperatorPolicy);
        return builder;
    }

    /// <summary>
    /// The route acts only for the user its path names (<paramref name="routeParameter"/>): that user's own token, or,
    /// with <paramref name="allowOperators"/>, the operations key. Anyone else gets 403, decided before any lookup.
    /// </summary>
    public static RouteHandlerBuilder RequireSelf(this RouteHandlerBuilder route, string routeParameter = "id", bool allowOperators = false) =>
        route.RequireAuthorization(allowOperators ? AuthorizationPolicies.UserOrOperator : AuthorizationPolicies.User)
            .AddEndpointFilter(new SelfOnlyFilter(routeParameter, allowOperators))
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden);
}
