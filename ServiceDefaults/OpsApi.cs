using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;

namespace ConcertBooking.ServiceDefaults;

/// <summary>
/// The operations API under <c>/ops</c>. It exists only when <c>Ops:ApiKey</c> is configured, and then every call
/// needs that key in <c>X-Api-Key</c> (or <c>?apiKey=</c>, for the status page opened in a browser).
/// </summary>
public static class OpsApi
{
    public const string HeaderName = "X-Api-Key";

    public static WebApplication MapOpsApi(this WebApplication app, Action<RouteGroupBuilder> map)
    {
        var key = app.Configuration["Ops:ApiKey"];
        if (string.IsNullOrEmpty(key))
        {
            return app; // no key, no API: an unguarded /ops must never exist by accident
        }

        var ops = app.MapGroup("/ops").WithTags("Operations").AddEndpointFilter(new ApiKeyFilter(key));
        map(ops);
        return app;
    }

    private sealed class ApiKeyFilter(string key) : IEndpointFilter
    {
        private readonly byte[] _expected = SHA256.HashData(Encoding.UTF8.GetBytes(key));

        public ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
        {
            var request = context.HttpContext.Request;
            var presented = request.Headers[HeaderName].FirstOrDefault() ?? request.Query["apiKey"].FirstOrDefault();
            // Hashing first makes the comparison constant-time in the key's length as well as its content.
            var matches = presented is not null
                && CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(presented)), _expected);
            return matches
                ? next(context)
                : ValueTask.FromResult<object?>(TypedResults.Problem(statusCode: StatusCodes.Status401Unauthorized,
                    title: "API key required", detail: $"Operations endpoints need the configured key in the {HeaderName} header."));
        }
    }
}
