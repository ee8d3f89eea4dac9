using Npgsql;

namespace ConcertBooking.Tests.Infrastructure;

/// <summary>
/// UserService and the three replicas as separate processes on the real broker and database: the shape of a
/// deployment, for fault tests that kill processes and stop the broker.
/// </summary>
public sealed class ProcessSystem : IAsyncDisposable
{
    public static readonly string[] ReplicaNames = ["concert", "payment", "token"];
    private readonly Dictionary<string, ServiceProcess> _services = [];
    private readonly Dictionary<string, string> _connectionStrings = [];

    private ProcessSystem(RabbitMqVirtualHost virtualHost) => VirtualHost = virtualHost;

    public RabbitMqVirtualHost VirtualHost { get; }

    public ServiceProcess this[string service] => _services[service];

    public string ConnectionString(string service) => _connectionStrings[service];

    public static async Task<ProcessSystem> StartAsync(
        Func<string, IEnumerable<KeyValuePair<string, string>>>? settings = null, Func<string, ushort?>? postgresPort = null)
    {
        var system = new ProcessSystem(await RabbitMqVirtualHost.CreateAsync());
        foreach (var (service, project) in new[] { ("concert", "ConcertService"), ("payment", "PaymentService"), ("token", "TokenService"), ("users", "UserService") })
        {
            var database = PostgresDatabases.NewName(service);
            system._connectionStrings[service] = PostgresDatabases.ConnectionString(database, maxPoolSize: 20);
            var serviceConnection = PostgresDatabases.ConnectionString(database, maxPoolSize: 20, port: postgresPort?.Invoke(service));
            var environment = new Dictionary<string, string>
            {
                ["ConnectionStrings__Database"] = serviceConnection,
                ["Messaging__RabbitMq__Host"] = TestEnvironment.RabbitMqHost,
                ["Messaging__RabbitMq__Port"] = TestEnvironment.RabbitMqPort.ToString(),
                ["Messaging__RabbitMq__VirtualHost"] = system.VirtualHost.Name,
                ["Messaging__RabbitMq__Username"] = TestEnvironment.RabbitMqUser,
                ["Messaging__RabbitMq__Password"] = TestEnvironment.RabbitMqPassword,
                ["Messaging__Outbox__RetryMaxDelay"] = "00:00:02",
            };
            foreach (var (key, value) in settings?.Invoke(service) ?? [])
            {
                environment[key] = value;
            }

            system._services[service] = new ServiceProcess(project, environment);
        }

        try
        {
            // Replicas first, so their queues are bound before UserService publishes.
            await Task.WhenAll(ReplicaNames.Select(name => system._services[name].StartAsync()));
            await system._services["users"].StartAsync();
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

    /// <summary>Waits until every replica holds exactly <paramref name="expected"/> users with one inbox entry each.</summary>
    public async Task AllReplicasConvergeAsync(int expected, TimeSpan timeout)
    {
        foreach (var replica in ReplicaNames)
        {
            await Eventually.Until(() => CountAsync(replica, $"""SELECT count(*) FROM {replica}."Users" """), n => n == expected,
                $"{expected} users in the {replica} replica", timeout);
        }

        foreach (var replica in ReplicaNames)
        {
            var entries = await CountAsync(replica, $"""SELECT count(*) FROM {replica}."InboxMessages" """);
            Assert.That(entries, Is.EqualTo(expected), $"{replica}: one inbox entry per event, none applied twice");
        }
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
