using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
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
        builder.Services.AddOpenApi();
        builder.Services.AddHealthChecks();
        builder.AddTelemetry();
        return builder;
    }

    public static WebApplication MapServiceDefaults(this WebApplication app)
    {
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        // After the two above, so a 401 or 403 of the authentication and authorization middleware is a problem
        // document too (left to themselves, they would run first and answer with an empty body).
        app.UseAuthentication();
        app.UseAuthorization();

        // The plumbing is open to anyone; every other endpoint says who may call it (a test holds each to that).
        app.MapTelemetry().AllowAnonymous();
        app.MapOpenApi().AllowAnonymous();
        app.MapScalarApiReference().AllowAnonymous();

        // Live: the process answers. Ready: it can do its work (database, broker, relay).
        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false }).AllowAnonymous();
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
        }).AllowAnonymous();
        return app;
    }

    /// <summary>Validates the request body with its FluentValidation validator before the handler runs.</summary>
    public static RouteHandlerBuilder WithValidation<TRequest>(this RouteHandlerBuilder route) where TRequest : class =>
        route.AddEndpointFilter<ValidationFilter<TRequest>>().ProducesValidationProblem();
}
