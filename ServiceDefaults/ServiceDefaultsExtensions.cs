using ConcertBooking.Configuration;
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
        builder.Services.AddOpenApi();
        builder.Services.AddHealthChecks();
        builder.AddTelemetry();
        return builder;
    }

    public static WebApplication MapServiceDefaults(this WebApplication app)
    {
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        // Before anything reads a body: too large is 413, a charset other than UTF-8 is 415.
        app.UseMiddleware<RequestBodyLimitMiddleware>();
        app.UseMiddleware<RequestCharsetMiddleware>();

        app.MapTelemetry();
        app.MapOpenApi();
        app.MapScalarApiReference();

        // Live: the process answers. Ready: it can do its work (database, broker, relay).
        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false });
        app.MapHealthChecks("/health/ready", new HealthCheckOptions
        {
            Predicate = check => check.Tags.Contains("ready"),
            // Degraded (the bus reconnecting, say) is not ready to take traffic either.
            ResultStatusCodes =
            {
                [HealthStatus.Healthy] = StatusCodes.Status200OK,
                [HealthStatus.Degraded] = StatusCodes.Status503ServiceUnavailable,
                [HealthStatus.Unhealthy] = StatusCodes.Status503ServiceUnavailable,
            },
            ResponseWriter = HealthReportWriter.WriteAsync,
        });
        return app;
    }

    /// <summary>Validates the request body with its FluentValidation validator before the handler runs.</summary>
    public static RouteHandlerBuilder WithValidation<TRequest>(this RouteHandlerBuilder route) where TRequest : class =>
        route.AddEndpointFilter<ValidationFilter<TRequest>>().ProducesValidationProblem();
}
