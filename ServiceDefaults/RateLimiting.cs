using System.Net;
using System.Threading.RateLimiting;
using ConcertBooking.Configuration;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ConcertBooking.ServiceDefaults;

/// <summary>
/// ASP.NET Core's rate-limiting middleware on the actions named in <see cref="RateLimitPolicies"/>: an endpoint's named
/// policy marks it; the global limiter counts the policy's per-address and per-user windows (<see cref="RequestWindows"/>)
/// and then gives the request one of the instance's turns (<see cref="RateLimitPartitions.InFlight"/>).
/// </summary>
public static partial class RateLimiting
{
    public static IServiceCollection AddServiceRateLimits(this IServiceCollection services)
    {
        services.AddValidatedOptions<RateLimitOptions, RateLimitOptionsValidator>(RateLimitOptions.SectionName);
        services.AddValidatedOptions<ForwardedHeadersSettings, ForwardedHeadersSettingsValidator>(ForwardedHeadersSettings.SectionName);
        services.AddRateLimiter(_ => { });
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<FixedWindows>();
        services.AddOptions<RateLimiterOptions>().Configure<IOptions<RateLimitOptions>, IOptions<HttpLimitsOptions>, FixedWindows, IServiceProvider>((limiter, limits, http, windows, provider) =>
        {
            limiter.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            limiter.OnRejected = RateLimitRejection.WriteAsync;
            var turns = ActionTurns(http.Value, provider);
            // The windows first: a request they refuse never waits for a turn. The turn is held until the response is done.
            limiter.GlobalLimiter = PartitionedRateLimiter.CreateChained(
                new RequestWindows(limits, windows),
                PartitionedRateLimiter.Create<HttpContext, string>(context => RateLimitPartitions.InFlight(context, turns, http.Value.MaxQueuedActions)));
            // The named policies only mark the endpoints (RequireRateLimiting): their windows are counted above.
            foreach (var policy in RateLimitPolicies.All)
            {
                limiter.AddPolicy(policy, _ => RateLimitPartition.GetNoLimiter(string.Empty));
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
    /// The configured turns, else the actions' share of the service's database connection pool; claimed from the pool,
    /// since each action holds a connection until it answers.
    /// </summary>
    private static int ActionTurns(HttpLimitsOptions http, IServiceProvider provider)
    {
        var pool = provider.GetService<ConnectionPool>() ?? new ConnectionPool(null);
        var turns = http.MaxConcurrentActions ?? pool.ActionsShare;
        pool.Claim(HttpLimitsOptions.SectionName + ":" + nameof(HttpLimitsOptions.MaxConcurrentActions), turns);
        LogTurns(provider.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(RateLimiting)), turns, pool.Size);
        return turns;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "HTTP actions run at most {Turns} at once (database connection pool: {Pool})")]
    private static partial void LogTurns(ILogger logger, int turns, int? pool);

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
