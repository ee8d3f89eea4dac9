using Npgsql;

namespace ConcertBooking.Testing;

/// <summary>
/// UserService and the three replicas as separate processes on the real broker and database: the shape of a
/// deployment, for fault tests that kill processes and stop the broker, and for the bench. A virtual host and
/// databases of its own, as every test system has, and the run's own keys (<see cref="TestSecrets"/>).
/// </summary>
public sealed class ProcessSystem : IAsyncDisposable
{
    public static readonly string[] ReplicaNames = ["concert", "payment", "token"];
    private readonly Dictionary<string, ServiceProcess> _services = [];
    private readonly Dictionary<string, string> _connectionStrings = [];
    private readonly Dictionary<string, (string Project, Dictionary<string, string> Environment)> _started = [];
    private readonly ServiceProcessOptions _processes;

    private ProcessSystem(RabbitMqVirtualHost virtualHost, ServiceProcessOptions processes)
    {
        VirtualHost = virtualHost;
        _processes = processes;
    }

    public RabbitMqVirtualHost VirtualHost { get; }

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
        var system = new ProcessSystem(await RabbitMqVirtualHost.CreateAsync(options.VirtualHostPrefix), options.Processes);
        foreach (var (service, project) in new[] { ("concert", "ConcertService"), ("payment", "PaymentService"), ("token", "TokenService"), ("users", "UserService") })
        {
            var database = PostgresDatabases.NewName(service);
            system._connectionStrings[service] = PostgresDatabases.ConnectionString(database, maxPoolSize: 20);
            var serviceConnection = PostgresDatabases.ConnectionString(database, maxPoolSize: 20, port: postgresPort?.Invoke(service));
            var environment = new Dictionary<string, string>(TestSecrets.EnvironmentSettings(service))
            {
                ["ConnectionStrings__Database"] = serviceConnection,
                ["Messaging__RabbitMq__Host"] = TestEnvironment.RabbitMqHost,
                ["Messaging__RabbitMq__Port"] = TestEnvironment.RabbitMqPort.ToString(),
                ["Messaging__RabbitMq__VirtualHost"] = system.VirtualHost.Name,
                ["Messaging__RabbitMq__Username"] = TestEnvironment.RabbitMqUser,
                ["Messaging__RabbitMq__Password"] = TestEnvironment.RabbitMqPassword,
            };
            foreach (var (key, value) in options.CommonSettings.Concat(settings?.Invoke(service) ?? []))
            {
                environment[key] = value;
            }

            system._started[service] = (project, environment);
            system._services[service] = new ServiceProcess(project, environment, options.Processes);
        }

        try
        {
            // Replicas first, so their queues are bound before UserService publishes.
            await Task.WhenAll(ReplicaNames.Select(name => system._services[name].StartAsync(cancellationToken)));
            await system._services["users"].StartAsync(cancellationToken);
            return system;
        }
        catch
        {
            await system.DisposeAsync(); // no process may outlive a failed start
            throw;
        }
    }

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

        await VirtualHost.DisposeAsync();
    }
}
