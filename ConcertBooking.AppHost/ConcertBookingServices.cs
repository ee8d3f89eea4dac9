namespace ConcertBooking.AppHost;

public static class ConcertBookingServices
{
    /// <summary>The four services as projects, on the ports of make up and their appsettings.json.</summary>
    public static void AddConcertBookingServices(this IDistributedApplicationBuilder builder, IServiceInfrastructure infrastructure, AppHostSettings settings)
    {
        // The ops API exists only with a key; make up writes one to .run/ops-key, the AppHost makes one per run
        // (shown with the parameters in the dashboard).
        var opsApiKey = builder.AddParameter("ops-api-key", new GenerateParameterDefault { MinLength = 32, Special = false }, secret: true);

        var token = builder.AddService<Projects.TokenService>("token-service", 5104, "token", infrastructure, settings, opsApiKey);
        var payment = builder.AddService<Projects.PaymentService>("payment-service", 5103, "payment", infrastructure, settings, opsApiKey);
        // ConcertService announces its concerts as it starts: TokenService's queue for them must be bound by then.
        var concert = builder.AddService<Projects.ConcertService>("concert-service", 5102, "concert", infrastructure, settings, opsApiKey)
            .WaitFor(token);

        // UserService starts once the replicas are ready, so their queues are bound before its first event: an event
        // published to an exchange with no queue behind it would be gone for that replica.
        builder.AddService<Projects.UserService>("user-service", 5101, "users", infrastructure, settings, opsApiKey)
            .WaitFor(concert)
            .WaitFor(payment)
            .WaitFor(token);
    }

    private static IResourceBuilder<ProjectResource> AddService<TProject>(
        this IDistributedApplicationBuilder builder,
        string name,
        int port,
        string database,
        IServiceInfrastructure infrastructure,
        AppHostSettings settings,
        IResourceBuilder<ParameterResource> opsApiKey)
        where TProject : IProjectMetadata, new()
    {
        var service = builder.AddProject<TProject>(name, launchProfileName: null)
            // Proxied: the port stays the service's address across restarts from the dashboard.
            .WithHttpEndpoint(port: settings.FixedPorts ? port : null, name: "http")
            .WithEnvironment(context =>
            {
                // appsettings.json names make up's port in Urls, which outranks ASPNETCORE_URLS: repeat Aspire's address there.
                if (context.EnvironmentVariables.TryGetValue("ASPNETCORE_URLS", out var urls))
                {
                    context.EnvironmentVariables["Urls"] = urls;
                }
            })
            .WithHttpHealthCheck("/health/ready")
            .WithEnvironment("ASPNETCORE_ENVIRONMENT", "Development")
            .WithEnvironment("Ops__ApiKey", opsApiKey)
            .WithDashboardTelemetry()
            .WithMessaging(infrastructure, settings);

        // Plain HTTP on loopback, as under make up: no certificate to hand the services, and no warning in the
        // dashboard that the development certificate is not trusted. (The API is marked for evaluation.)
#pragma warning disable ASPIRECERTIFICATES001
        service.WithoutHttpsCertificate();
#pragma warning restore ASPIRECERTIFICATES001
        return infrastructure.WithDatabase(service, database);
    }
}
