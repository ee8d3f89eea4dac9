namespace ConcertBooking.AppHost;

public static class DashboardTelemetryExtensions
{
    /// <summary>
    /// Sends the service's traces, metrics and logs to the dashboard. Aspire hands a project the dashboard's OTLP
    /// address as OTEL_EXPORTER_OTLP_ENDPOINT (and the API key as OTEL_EXPORTER_OTLP_HEADERS, which the exporter reads
    /// itself); ServiceDefaults records spans only when <c>Telemetry:OtlpEndpoint</c> is set, so the address is repeated there.
    /// </summary>
    public static IResourceBuilder<ProjectResource> WithDashboardTelemetry(this IResourceBuilder<ProjectResource> service) =>
        // gRPC, not OTLP over HTTP: ServiceDefaults sets the exporter's endpoint in code, and an endpoint set in code
        // is used as it is, without the /v1/traces, /v1/metrics, /v1/logs paths that OTLP over HTTP needs.
        service.WithOtlpExporter(OtlpProtocol.Grpc)
            .WithEnvironment(context =>
            {
                if (context.EnvironmentVariables.TryGetValue("OTEL_EXPORTER_OTLP_ENDPOINT", out var endpoint))
                {
                    context.EnvironmentVariables["Telemetry__OtlpEndpoint"] = endpoint;
                }

                // The dashboard files telemetry under its service.name: the resource's name puts a service's traces,
                // logs and metrics under its row in the resource list.
                context.EnvironmentVariables["Telemetry__ServiceName"] = service.Resource.Name;
            });
}
