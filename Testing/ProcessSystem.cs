using Npgsql;

namespace ConcertBooking.Testing;

/// <summary>
/// UserService and the three replicas as separate processes on the real broker and database: the shape of a
/// deployment, for fault tests that kill processes and take the broker away, and for the bench. Databases of its own,
/// and a broker of its own: a RabbitMQ virtual host (optionally behind a cuttable proxy), or on Kafka a dev broker
/// process (librdkafka's mock cluster with the system's topics) started and stopped with the system; and the run's
/// own keys (<see cref="TestSecrets"/>).
/// </summary>
public sealed class ProcessSystem : IAsyncDisposable
{
    public static readonly string[] ReplicaNames = ["concert", "payment", "token"];
    private readonly Dictionary<string, ServiceProcess> _services = [];
    private readonly Dictionary<string, string> _connectionStrings = [];
    private readonly Dictionary<string, (string Project, Dictionary<string, string> Environment)> _started = [];
    private readonly ServiceProcessOptions _processes;
    private readonly TcpProxy? _brokerProxy;

    private ProcessSystem(ProcessSystemOptions options, RabbitMqVirtualHost? virtualHost, TcpProxy? brokerProxy, KafkaDevBrokerProcess? kafka)
    {
        Transport = options.Transport;
        _processes = options.Processes;
        VirtualHost = virtualHost;
        _brokerProxy = brokerProxy;
        Kafka = kafka;
    }

    public TestTransport Transport { get; }

    /// <summary>The system's RabbitMQ virtual host; null on Kafka.</summary>
    public RabbitMqVirtualHost? VirtualHost { get; }

    /// <summary>The system's Kafka dev broker; null on RabbitMQ.</summary>
    public KafkaDevBrokerProcess? Kafka { get; }

    /// <summary>A process by the name it was started under: its service's ("users", "concert"...) or an extra instance's.</summary>
    public ServiceProcess this[string service] => _services[service];

    /// <summary>The processes by the name they were started under.</summary>
    public IReadOnlyDictionary<string, ServiceProcess> Services => _services;

    /// <summary>The service's database, reached directly (not through a proxy put in front of the service).</summary>
    public string ConnectionString(string service) => _connectionStrings[service];

    public static async Task<ProcessSystem> StartAsync(
        Func<string, IEnumerable<KeyValuePair<string, string>>>? settings = null, Func<string, ushort?>? postgresPort = null,
        ProcessSystemOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new ProcessSystemOptions();
        var system = options.Transport == TestTransport.Kafka
            ? new ProcessSystem(options, null, null, await KafkaDevBrokerProcess.StartAsync(options.Processes, cancellationToken))
            : new ProcessSystem(options, await RabbitMqVirtualHost.CreateAsync(options.VirtualHostPrefix),
                options.BrokerBehindProxy ? new TcpProxy(TestEnvironment.RabbitMqHost, TestEnvironment.RabbitMqPort) : null, null);
        try
        {
            foreach (var (service, project) in new[] { ("concert", "ConcertService"), ("payment", "PaymentService"), ("token", "TokenService"), ("users", "UserService") })
            {
                var database = PostgresDatabases.NewName(service);
                system._connectionStrings[service] = PostgresDatabases.ConnectionString(database, maxPoolSize: 20);
                var environment = new Dictionary<string, string>(TestSecrets.EnvironmentSettings(service))
                {
                    ["ConnectionStrings__Database"] = PostgresDatabases.ConnectionString(database, maxPoolSize: 20, port: postgresPort?.Invoke(service)),
                };
                IEnumerable<KeyValuePair<string, string>> transportSettings = system.Kafka is null ? [] : AsEnvironment(options.KafkaSettings);
                foreach (var (key, value) in system.BrokerSettings().Concat(transportSettings).Concat(AsEnvironment(options.RateLimitSettings))
                             .Concat(options.CommonSettings).Concat(settings?.Invoke(service) ?? []))
                {
                    environment[key] = value;
                }

                system._started[service] = (project, environment);
                system._services[service] = new ServiceProcess(project, environment, options.Processes);
            }

            // Replicas first, so their queues are bound (or their groups joined) before UserService publishes; TokenService
            // before the other two, so its queue is bound before ConcertService announces its concerts as it starts.
            await system._services["token"].StartAsync(cancellationToken);
            await Task.WhenAll(ReplicaNames.Where(name => name != "token").Select(name => system._services[name].StartAsync(cancellationToken)));
            await system._services["users"].StartAsync(cancellationToken);
            return system;
        }
        catch
        {
            await system.DisposeAsync(); // no process may outlive a failed start
            throw;
        }
    }

    /// <summary>
    /// The broker away for this system's services only, as a crashed broker looks to them: on RabbitMQ their AMQP
    /// connections are reset and new ones refused (needs <see cref="ProcessSystemOptions.BrokerBehindProxy"/>); on
    /// Kafka every broker of the dev broker closes its connections and refuses new ones.
    /// </summary>
    public Task BrokerDownAsync()
    {
        if (Kafka is not null)
        {
            return Kafka.BrokersDownAsync();
        }

        BrokerProxy().Cut();
        return Task.CompletedTask;
    }

    public Task BrokerUpAsync()
    {
        if (Kafka is not null)
        {
            return Kafka.BrokersUpAsync();
        }

        BrokerProxy().Restore();
        return Task.CompletedTask;
    }

    private TcpProxy BrokerProxy() => _brokerProxy
        ?? throw new InvalidOperationException($"Start the system with {nameof(ProcessSystemOptions)}.{nameof(ProcessSystemOptions.BrokerBehindProxy)} to take RabbitMQ away from its services.");

    private static IEnumerable<KeyValuePair<string, string>> AsEnvironment(IEnumerable<KeyValuePair<string, string>> settings) =>
        settings.Select(s => new KeyValuePair<string, string>(s.Key.Replace(":", "__", StringComparison.Ordinal), s.Value));

    private Dictionary<string, string> BrokerSettings() => Kafka is { } kafka
        ? new()
        {
            ["Messaging__Transport"] = "Kafka",
            ["Messaging__Kafka__BootstrapServers"] = kafka.BootstrapServers,
            ["Messaging__Kafka__FetchWaitMax"] = KafkaDevBrokerProcess.ClientFetchWaitMax,
        }
        : new()
        {
            ["Messaging__Transport"] = "RabbitMq",
            ["Messaging__RabbitMq__Host"] = TestEnvironment.RabbitMqHost,
            ["Messaging__RabbitMq__Port"] = (_brokerProxy?.Port ?? TestEnvironment.RabbitMqPort).ToString(),
            ["Messaging__RabbitMq__VirtualHost"] = VirtualHost!.Name,
            ["Messaging__RabbitMq__Username"] = TestEnvironment.RabbitMqUser,
            ["Messaging__RabbitMq__Password"] = TestEnvironment.RabbitMqPassword,
        };

    public async Task<long> CountAsync(string service, string sql)
    {
        await using var connection = new NpgsqlConnection(_connectionStrings[service]);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return Convert.ToInt64(await command.ExecuteScalarAsync());
    }

    /// <summary>
    /// Another instance of a service, or the service again after <see cref="StopServiceAsync"/>: the environment it
    /// was first started with (same database, same virtual host) and these settings over it, under <paramref name="name"/>.
    /// </summary>
    public async Task<ServiceProcess> StartServiceAsync(
        string service, IEnumerable<KeyValuePair<string, string>> settings, string? name = null, CancellationToken cancellationToken = default)
    {
        var (project, started) = _started[service];
        var environment = new Dictionary<string, string>(started);
        foreach (var (key, value) in settings)
        {
            environment[key] = value;
        }

        // Registered before it starts, so that disposal stops it even if it never gets ready.
        var process = _services[name ?? service] = new ServiceProcess(project, environment, _processes);
        await process.StartAsync(cancellationToken);
        return process;
    }

    public async Task StopServiceAsync(string name)
    {
        await _services[name].DisposeAsync();
        _services.Remove(name);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var service in _services.Values)
        {
            await service.DisposeAsync();
        }

        if (_brokerProxy is not null)
        {
            await _brokerProxy.DisposeAsync();
        }

        if (VirtualHost is not null)
        {
            await VirtualHost.DisposeAsync();
        }

        if (Kafka is not null)
        {
            await Kafka.DisposeAsync();
        }
    }
}
