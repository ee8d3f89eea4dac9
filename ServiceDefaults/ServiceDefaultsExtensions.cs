using ConcertBooking.Configuration;
using FluentValidation;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Scalar.AspNetCore;

namespace ConcertBooking.ServiceDefaults;

public static class ServiceDefaultsExtensions
{
    /// <summary>The tag of the checks <c>/health/ready</c> runs: only what this instance needs to serve its API (its database).</summary>
    public const string ReadyTag = "ready";

    /// <summary>Problem details for every error, OpenAPI, health checks, telemetry: the plumbing every service shares.</summary>
    public static IHostApplicationBuilder AddServiceDefaults(this IHostApplicationBuilder builder)
    {
        builder.Services.AddProblemDetails();
        // Binding failures (malformed JSON) reach the exception handler, which answers 400 with details.
        builder.Services.Configure<RouteHandlerOptions>(options => options.ThrowOnBadRequest = true);
        builder.Services.AddExceptionHandler<BadRequestExceptionHandler>();
        builder.Services.AddValidatedOptions<HttpLimitsOptions, HttpLimitsOptionsValidator>(HttpLimitsOptions.SectionName);
        // A property given twice is refused rather than letting the last one win (a proxy or a log that reads the
        // first would see another request than the service does), and a number is a JSON number, not a string.
        builder.Services.AddOptions<Microsoft.AspNetCore.Http.Json.JsonOptions>().Configure<IOptions<HttpLimitsOptions>>((json, limits) =>
        {
            json.SerializerOptions.AllowDuplicateProperties = false;
            json.SerializerOptions.NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.Strict;
            json.SerializerOptions.MaxDepth = limits.Value.MaxJsonDepth;
        });
        builder.Services.AddServiceRateLimits();
        builder.Services.AddOpenApi();
        builder.Services.AddHealthChecks();
        builder.AddTelemetry();
        return builder;
    }

    public static WebApplication MapServiceDefaults(this WebApplication app)
    {
        app.UseTrustedProxies();
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        // Authentication only reads the token (no body, no answer of its own): the rate limiter's per-user windows
        // need the caller it finds.
        app.UseAuthentication();
        // Before any body is read, so a client over its limit costs little.
        app.UseRateLimiter();
        // Before anything reads a body: too large is 413, a charset other than UTF-8 is 415.
        app.UseMiddleware<RequestBodyLimitMiddleware>();
        app.UseMiddleware<RequestCharsetMiddleware>();
        // After the above, so a 401 or 403 is a problem document too (left to itself, WebApplication would run the
        // authorization middleware first and answer with an empty body).
        app.UseAuthorization();

        // The plumbing is open to anyone; every other endpoint says who may call it (a test holds each to that).
        app.MapTelemetry().AllowAnonymous();
        app.MapOpenApi().AllowAnonymous();
        app.MapScalarApiReference().AllowAnonymous();

        // Live: the process answers. Ready: this instance can serve its API, which needs its database and nothing else;
        // a broker outage or an outbox backlog keeps it in rotation (writes go on into the outbox, which is what the outbox
        // is for) and shows in /health instead, where people and alerting look, with every check's status and reason.
        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false }).AllowAnonymous();
        app.MapHealthChecks("/health/ready", new HealthCheckOptions
        {
            Predicate = check => check.Tags.Contains(ReadyTag),
            ResponseWriter = HealthReportWriter.WriteAsync,
        }).AllowAnonymous();
        // Not for load balancers: 503 when any check is unhealthy (a broker outage), 200 when healthy or degraded.
        app.MapHealthChecks("/health", new HealthCheckOptions { ResponseWriter = HealthReportWriter.WriteAsync }).AllowAnonymous();
        return app;
    }

    /// <summary>
    /// The request validators of the assembly holding <typeparamref name="TMarker"/>, as singletons: a validator builds its
    /// rules in its constructor, which in a flash sale's profile cost three times the validation itself when done per
    /// request. So a validator depends on singletons only (options, not a DbContext).
    /// </summary>
    public static IServiceCollection AddRequestValidators<TMarker>(this IServiceCollection services) =>
        services.AddValidatorsFromAssemblyContaining<TMarker>(ServiceLifetime.Singleton, includeInternalTypes: true);

    /// <summary>Validates the request body with its FluentValidation validator before the handler runs.</summary>
    public static RouteHandlerBuilder WithValidation<TRequest>(this RouteHandlerBuilder route) where TRequest : class =>
        route.AddEndpointFilter<ValidationFilter<TRequest>>().ProducesValidationProblem();
}
