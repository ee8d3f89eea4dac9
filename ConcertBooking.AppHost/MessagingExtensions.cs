namespace ConcertBooking.AppHost;

public static class MessagingExtensions
{
    /// <summary>The service's <c>Messaging:Transport</c> and where its broker is.</summary>
    public static IResourceBuilder<ProjectResource> WithMessaging(
        this IResourceBuilder<ProjectResource> service, IServiceInfrastructure infrastructure, AppHostSettings settings)
    {
        service.WithEnvironment("Messaging__Transport", settings.Transport.ToString());
        return settings.Transport == ServiceTransport.Kafka
            ? service.WithKafka(settings.Kafka, RepositoryRoot(service))
            : infrastructure.WithRabbitMq(service);
    }

    // Kafka is wired, not started: Aspire's Kafka hosting package is not available to this project, and the
    // development broker (librdkafka's mock cluster as a process) is started apart from the AppHost.
    private static IResourceBuilder<ProjectResource> WithKafka(this IResourceBuilder<ProjectResource> service, KafkaSettings kafka, string repositoryRoot) =>
        service.WithEnvironment(context =>
        {
            context.EnvironmentVariables["Messaging__Kafka__BootstrapServers"] = BootstrapServers(kafka, repositoryRoot);
            if (kafka.FetchWaitMax is { } fetchWait)
            {
                context.EnvironmentVariables["Messaging__Kafka__FetchWaitMax"] = fetchWait.ToString("c");
            }
        });

    private static string BootstrapServers(KafkaSettings kafka, string repositoryRoot)
    {
        if (!string.IsNullOrWhiteSpace(kafka.BootstrapServers))
        {
            return kafka.BootstrapServers.Trim();
        }

        var file = Path.GetFullPath(Path.Combine(repositoryRoot, kafka.BootstrapServersFile));
        return File.Exists(file) && File.ReadAllText(file).Trim() is { Length: > 0 } servers
            ? servers
            : throw new InvalidOperationException(
                $"ConcertBooking:Transport is Kafka, but neither ConcertBooking:Kafka:BootstrapServers is set nor {file} names the cluster.");
    }

    private static string RepositoryRoot(IResourceBuilder<ProjectResource> service) =>
        Path.GetFullPath(Path.Combine(service.ApplicationBuilder.AppHostDirectory, ".."));
}
