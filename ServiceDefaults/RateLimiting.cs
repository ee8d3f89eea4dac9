using System.Net;
using System.Threading.RateLimiting;
using ConcertBooking.Configuration;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace ConcertBooking.ServiceDefaults;

/// <summary>
/// ASP.NET Core's rate limiter on the actions named in <see cref="RateLimitPolicies"/>: each endpoint's named policy
/// is its per-user window, and the global limiter adds the per-address window of the same policy, so both apply.
/// </summary>
public static class RateLimiting
{
    public static IServiceCollection AddServiceRateLimits(this IServiceCollection services)
    {
        services.AddValidatedOptions<RateLimitOptions, RateLimitOptionsValidator>(RateLimitOptions.SectionName);
        services.AddValidatedOptions<ForwardedHeadersSettings, ForwardedHeadersSettingsValidator>(ForwardedHeadersSettings.SectionName);
        services.AddRateLimiter(_ => { });
        services.AddOptions<RateLimiterOptions>().Configure<IOptions<RateLimitOptions>, IOptions<HttpLimitsOptions>>((limiter, limits, http) =>
        {
            limiter.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            limiter.OnRejected = RateLimitRejection.WriteAsync;
            // The window first: a request it refuses never waits for a turn. The turn is held until the response is done.
            limiter.GlobalLimiter = PartitionedRateLimiter.CreateChained(
                PartitionedRateLimiter.Create<HttpContext, string>(context => RateLimitPartitions.PerAddress(context, limits.Value)),
                PartitionedRateLimiter.Create<HttpContext, string>(context => RateLimitPartitions.InFlight(context, http.Value)));
            foreach (var policy in RateLimitPolicies.All)
            {
                limiter.AddPolicy(policy, context => RateLimitPartitions.PerUser(context, policy, limits.Value));
            }
        });
        services.AddOptions<ForwardedHeadersOptions>().Configure<IOptions<ForwardedHeadersSettings>>((forwarded, settings) =>
        {
            forwarded.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
            // The defaults trust loopback; only what is configured is trusted.
            forwarded.KnownProxies.Clear();
            forwarded.KnownIPNetworks.Clear();
            foreach (var proxy in settings.Value.KnownProxies)
            {
                if (IPAddress.TryParse(proxy, out var address))
                {
                    forwarded.KnownProxies.Add(address);
                }
                else
                {
                    forwarded.KnownIPNetworks.Add(System.Net.IPNetwork.Parse(proxy));
                }
            }
        });
        return services;
    }

    /// <summary>
    /// The client address from a trusted proxy's headers, first of all. Only with proxies configured: the middleware
    /// with none listed would believe every caller.
    /// </summary>
    public static WebApplication UseTrustedProxies(this WebApplication app)
    {
        if (app.Services.GetRequiredService<IOptions<ForwardedHeadersSettings>>().Value.KnownProxies.Count > 0)
        {
            app.UseForwardedHeaders();
        }

        return app;
    }
}
