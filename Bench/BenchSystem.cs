using ConcertBooking.Testing;
using Npgsql;

namespace ConcertBooking.Bench;

/// <summary>
/// The four services as processes on the local RabbitMQ and PostgreSQL, in a virtual host and databases of their own:
/// the tests' <see cref="ProcessSystem"/>, run as deployed (Production, no test settings), and the bench's queries.
/// </summary>
internal sealed class BenchSystem : IAsyncDisposable
{
    public static readonly string[] Replicas = ProcessSystem.ReplicaNames;
    private readonly ProcessSystem _processes;

    private BenchSystem(ProcessSystem processes) => _processes = processes;

    public static readonly Guid ConcertId = Guid.Parse("be4c0000-0000-4000-8000-000000000001");

    public const string SigningKey = "bench-only-entry-pass-signing-key-0123456789abcdef";

    /// <summary>A concert with enough seats for the reservation phase, and the key its entry passes are signed with.</summary>
    public static readonly KeyValuePair<string, string>[] ConcertSettings =
    [
        new("Concerts__Demo__2__Id", ConcertId.ToString()),
        new("Concerts__Demo__2__Name", "Benchmark"),
        new("Concerts__Demo__2__Venue", "Loopback"),
        new("Concerts__Demo__2__StartsAt", "2030-01-01T20:00:00+00:00"),
        .. "ABCDEFGH".Select((row, i) => new KeyValuePair<string, string>($"Concerts__Demo__2__Rows__{i}", row.ToString())),
        new("Concerts__Demo__2__SeatsPerRow", "100"),
        new("Concerts__Demo__2__Price", "10"),
        new("EntryPass__SigningKey", SigningKey),
        new("Reservations__HoldTime", "01:00:00"),
    ];

    public IReadOnlyDictionary<string, ServiceProcess> Services => _processes.Services;

    public ServiceProcess Users => _processes["users"];

    public static async Task<BenchSystem> StartAsync(CancellationToken cancellationToken)
    {
        var processes = await ProcessSystem.StartAsync(
            service => service == "concert" ? ConcertSettings : [],
            options: new ProcessSystemOptions
            {
                CommonSettings = new Dictionary<string, string>(),
                // As deployed, but every request of the load comes from one address: the limits would refuse most of it.
                RateLimitSettings = RaisedRateLimits.Settings(),
                Processes = new ServiceProcessOptions { EnvironmentName = "Production", LogDirectory = null },
                VirtualHostPrefix = "cb-bench",
            },
            cancellationToken: cancellationToken);
        var system = new BenchSystem(processes);
        Console.WriteLine($"System up: vhost {processes.VirtualHost?.Name}, UserService on {system.Users.BaseAddress}");
        return system;
    }

    /// <summary>Another instance of a service (its first environment plus these settings), or the service again after a stop.</summary>
    public Task<ServiceProcess> StartServiceAsync(string service, IEnumerable<KeyValuePair<string, string>> settings, CancellationToken cancellationToken, string? name = null) =>
        _processes.StartServiceAsync(service, settings, name, cancellationToken);

    public Task StopServiceAsync(string name) => _processes.StopServiceAsync(name);

    public string ConnectionString(string service) => _processes.ConnectionString(service);

    public async Task<List<double>> QueryDoublesAsync(string service, string sql, CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(ConnectionString(service));
        await connection.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand(sql, connection) { CommandTimeout = 300 };
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var values = new List<double>();
        while (await reader.ReadAsync(cancellationToken))
        {
            values.Add(Convert.ToDouble(reader.GetValue(0)));
        }

        return values;
    }

    public async Task<long> ScalarAsync(string service, string sql, CancellationToken cancellationToken) =>
        (long)(await QueryDoublesAsync(service, sql, cancellationToken))[0];

    public async ValueTask DisposeAsync()
    {
        await _processes.DisposeAsync();
        await PostgresDatabases.DropAllAsync(); // the bench's databases are the only ones this process named
    }
}
