using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using OpenTelemetry.Logs;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace ConcertBooking.ServiceDefaults;

/// <summary>Bound from <c>Telemetry</c>: OTLP export is off unless an endpoint is configured.</summary>
public sealed class TelemetryOptions
{
    public const string SectionName = "Telemetry";

    public string? ServiceName { get; set; }

    /// <summary>e.g. http://otel-collector:4317: traces are recorded and pushed there, and metrics too; unset, no spans are recorded.</summary>
    public Uri? OtlpEndpoint { get; set; }
}

public static class Telemetry
{
    /// <summary>The meters and activity sources of the bus and of the project's messaging, next to ASP.NET Core's.</summary>
    public static readonly string[] Meters = ["MassTransit", "ConcertBooking.Messaging", "ConcertBooking.*"];
    public static readonly string[] Sources = ["MassTransit", "ConcertBooking.Messaging", "ConcertBooking.*"];

    public static IHostApplicationBuilder AddTelemetry(this IHostApplicationBuilder builder)
    {
        var options = builder.Configuration.GetSection(TelemetryOptions.SectionName).Get<TelemetryOptions>() ?? new TelemetryOptions();
        var serviceName = options.ServiceName ?? builder.Environment.ApplicationName;

        var telemetry = builder.Services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService(serviceName))
            .WithMetrics(metrics => metrics
                .AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation()
                .AddRuntimeInstrumentation()
                .AddMeter(Meters)
                .AddPrometheusExporter());

        // Spans are recorded only where they are sent somewhere: without an exporter every request and message
        // would build activities nobody reads.
        if (options.OtlpEndpoint is { } endpoint)
        {
            telemetry.WithMetrics(metrics => metrics.AddOtlpExporter(otlp => otlp.Endpoint = endpoint))
                .WithTracing(tracing => tracing
                    .AddAspNetCoreInstrumentation(aspnet => aspnet.Filter = context =>
                        !context.Request.Path.StartsWithSegments("/health") && !context.Request.Path.StartsWithSegments("/metrics"))
                    .AddHttpClientInstrumentation()
                    .AddSource(Sources)
                    // The database calls, so a trace shows the outbox row and each replica's write.
                    .AddSource(BackgroundSpanFilter.NpgsqlSource)
                    .AddProcessor(new BackgroundSpanFilter())
                    .AddOtlpExporter(otlp => otlp.Endpoint = endpoint))
                // The log records too, with the trace and span they belong to, so a trace's logs sit beside its spans.
                .WithLogging(logging => logging.AddOtlpExporter(otlp => otlp.Endpoint = endpoint), logging =>
                {
                    logging.IncludeFormattedMessage = true;
                    logging.IncludeScopes = true;
                });
        }

        return builder;
    }

    public static IEndpointConventionBuilder MapTelemetry(this WebApplication app) => app.MapPrometheusScrapingEndpoint("/metrics");
}
