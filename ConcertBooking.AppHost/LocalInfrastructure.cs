using System.Data.Common;

namespace ConcertBooking.AppHost;

/// <summary>
/// The RabbitMQ and PostgreSQL that <c>make infra</c> installs and runs on this machine, without containers. When one
/// of them does not answer, the AppHost runs scripts/infra.sh (shown as the <c>infra</c> resource) and starts the
/// services after it has finished.
/// </summary>
internal sealed class LocalInfrastructure : IServiceInfrastructure
{
    private readonly AppHostSettings _settings;
    private readonly IResourceBuilder<ExecutableResource>? _starter;

    private LocalInfrastructure(AppHostSettings settings, IResourceBuilder<ExecutableResource>? starter)
    {
        _settings = settings;
        _starter = starter;
    }

    /// <summary>What was found on this machine at start, for the AppHost's log.</summary>
    public string Description { get; private init; } = "";

    public static LocalInfrastructure Add(IDistributedApplicationBuilder builder, AppHostSettings settings)
    {
        var postgres = new DbConnectionStringBuilder { ConnectionString = settings.Local.Postgres };
        var postgresHost = postgres.TryGetValue("Host", out var host) ? Convert.ToString(host)! : "127.0.0.1";
        var postgresPort = postgres.TryGetValue("Port", out var port) ? Convert.ToInt32(port) : 5432;

        var down = new List<string>();
        if (!TcpProbe.Answers(postgresHost, postgresPort))
        {
            down.Add($"PostgreSQL ({postgresHost}:{postgresPort})");
        }

        if (settings.Transport == ServiceTransport.RabbitMq && !TcpProbe.Answers(settings.Local.RabbitMqHost, settings.Local.RabbitMqPort))
        {
            down.Add($"RabbitMQ ({settings.Local.RabbitMqHost}:{settings.Local.RabbitMqPort})");
        }

        if (down.Count == 0)
        {
            var daemons = settings.Transport == ServiceTransport.RabbitMq ? "PostgreSQL and RabbitMQ answer" : "PostgreSQL answers";
            return new LocalInfrastructure(settings, starter: null) { Description = $"this machine's {daemons}" };
        }

        // The same script as make infra: installs what is missing, starts the daemons, creates the user and role.
        var repositoryRoot = Path.GetFullPath(Path.Combine(builder.AppHostDirectory, ".."));
        var starter = builder.AddExecutable("infra", "bash", repositoryRoot, "scripts/infra.sh");
        return new LocalInfrastructure(settings, starter)
        {
            Description = $"{string.Join(" and ", down)} not answering: scripts/infra.sh starts them before the services",
        };
    }

    public IResourceBuilder<ProjectResource> WithDatabase(IResourceBuilder<ProjectResource> service, string database)
    {
        service.WithEnvironment("ConnectionStrings__Database", $"{_settings.Local.Postgres};Database={_settings.DatabasePrefix}_{database}");
        return _starter is null ? service : service.WaitForCompletion(_starter);
    }

    public IResourceBuilder<ProjectResource> WithRabbitMq(IResourceBuilder<ProjectResource> service)
    {
        var local = _settings.Local;
        service.WithEnvironment("Messaging__RabbitMq__Host", local.RabbitMqHost)
            .WithEnvironment("Messaging__RabbitMq__Port", local.RabbitMqPort.ToString(System.Globalization.CultureInfo.InvariantCulture))
            .WithEnvironment("Messaging__RabbitMq__VirtualHost", _settings.RabbitMqVirtualHost)
            .WithEnvironment("Messaging__RabbitMq__Username", local.RabbitMqUsername)
            .WithEnvironment("Messaging__RabbitMq__Password", local.RabbitMqPassword);
        return _starter is null ? service : service.WaitForCompletion(_starter);
    }
}
