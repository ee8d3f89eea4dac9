using ConcertBooking.ServiceDefaults.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;

namespace ConcertBooking.ServiceDefaults;

/// <summary>
/// The operations API under <c>/ops</c>. It exists only when <c>Ops:ApiKey</c> is configured, and then every call
/// needs that key in the <c>X-Api-Key</c> header: a header only, since a key in a query string lands in access logs,
/// proxies and browser history. An endpoint that holds no data (the status page's HTML, which asks for the key) may
/// opt out with <c>AllowAnonymous</c>.
/// </summary>
public static class OpsApi
{
    public const string HeaderName = "X-Api-Key";

    public static WebApplication MapOpsApi(this WebApplication app, Action<RouteGroupBuilder> map)
    {
        var key = app.Configuration[$"{OpsOptions.SectionName}:ApiKey"];
        if (string.IsNullOrEmpty(key))
        {
            return app; // no key, no API: an unguarded /ops must never exist by accident
        }

        var ops = app.MapGroup("/ops").WithTags("Operations")
            .RequireAuthorization(AuthorizationPolicies.Operator)
            .ProducesProblem(StatusCodes.Status401Unauthorized);
        map(ops);
        return app;
    }
}
