using ConcertBooking.Testing;
using Npgsql;

namespace ConcertBooking.Bench;

/// <summary>
/// The four services as processes on the local RabbitMQ and PostgreSQL, in a virtual host and databases of their own:
/// the tests' <see cref="ProcessSystem"/>, run as deployed (the Bench environment: Production's settings, with the run's own
/// keys and a low password-hashing cost, see <see cref="TestSecrets"/>), and the bench's queries.
/// </summary>
internal sealed class BenchSystem : IAsyncDisposable
{
    public static readonly string[] Replicas = ProcessSystem.ReplicaNames;
    private readonly ProcessSystem _processes;

    private BenchSystem(ProcessSystem processes, int flashSaleSeats)
    {
        _processes = processes;
        FlashSaleSeats = flashSaleSeats;
    }

    /// <summary>Seats of the flash sale's concert (<see cref="FlashSaleSettings"/>).</summary>
    public int FlashSaleSeats { get; }

    /// <summary>The broker this system runs on.</summary>
    public TestTransport Transport => _processes.Transport;

    /// <summary>What the report says about the transport.</summary>
    public string TransportDescription => Transport == TestTransport.Kafka
        ? "Kafka (the dev broker process: librdkafka's mock cluster, in memory)"
        : "RabbitMq (publisher confirms, durable queues)";

    /// <summary>The Kafka dev broker's process, whose CPU counts as the broker's; null on RabbitMQ (the machine's broker).</summary>
    public int? KafkaBrokerProcessId => _processes.Kafka?.ProcessId;

    public static readonly Guid ConcertId = Guid.Parse("be4c0000-0000-4000-8000-000000000001");

    /// <summary>
    /// A concert with enough seats for the reservation phase, and no per-user cap to speak of: the phase measures the
    /// reservation path with one user, not the fairness rule (the entry passes are signed with the run's key, <see cref="TestSecrets"/>).
    /// </summary>
    public static readonly KeyValuePair<string, string>[] ConcertSettings =
    [
        new("Concerts__Demo__2__Id", ConcertId.ToString()),
        new("Concerts__Demo__2__Name", "Benchmark"),
        new("Concerts__Demo__2__Venue", "Loopback"),
        new("Concerts__Demo__2__StartsAt", "2030-01-01T20:00:00+00:00"),
        .. "ABCDEFGH".Select((row, i) => new KeyValuePair<string, string>($"Concerts__Demo__2__Rows__{i}", row.ToString())),
        new("Concerts__Demo__2__SeatsPerRow", "100"),
        new("Concerts__Demo__2__Price", "10"),
        new("Reservations__HoldTime", "01:00:00"),
        new("Reservations__MaxSeatsPerUser", "10000"),
    ];

    public IReadOnlyDictionary<string, ServiceProcess> Services => _processes.Services;

    public ServiceProcess Users => _processes["users"];

    public static async Task<BenchSystem> StartAsync(TestTransport transport, int flashSaleSeats, CancellationToken cancellationToken)
    {
        var processes = await ProcessSystem.StartAsync(
            service => service switch
            {
                "concert" => [.. ConcertSettings, .. FlashSaleSettings.Concerts(flashSaleSeats)],
                "token" => FlashSaleSettings.Admission,
                _ => [],
            },
            options: new ProcessSystemOptions
            {
                Transport = transport,
                KafkaSettings = [], // as deployed: the tests' short session timeouts are for their faults
                CommonSettings = new Dictionary<string, string>(),
                // As deployed, but every request of the load comes from one address: the limits would refuse most of it.
                RateLimitSettings = RaisedRateLimits.Settings(),
                // Not Development: the development keys are refused as in production. Not Production either: UserService
                // allows the bench's low password-hashing cost (TestSecrets) only in this environment, so that signups measure
                // the pipeline (outbox, relay, replicas) rather than PBKDF2.
                Processes = new ServiceProcessOptions { EnvironmentName = "Bench", LogDirectory = null },
                VirtualHostPrefix = "cb-bench",
            },
            cancellationToken: cancellationToken);
        var system = new BenchSystem(processes, flashSaleSeats);
        Console.WriteLine($"System up on {transport}: {(processes.VirtualHost is { } vhost ? $"vhost {vhost.Name}" : $"Kafka dev broker {processes.Kafka!.BootstrapServers}")}, UserService on {system.Users.BaseAddress}");
        return system;
    }

    /// <summary>Another instance of a service (its first environment plus these settings), or the service again after a stop.</summary>
    public Task<ServiceProcess> StartServiceAsync(string service, IEnumerable<KeyValuePair<string, string>> settings, CancellationToken cancellationToken, string? name = null) =>
        _processes.StartServiceAsync(service, settings, name, cancellationToken);

    public Task StopServiceAsync(string name) => _processes.StopServiceAsync(name);

    public string ConnectionString(string service) => _processes.ConnectionString(service);

    public Task<List<double>> QueryDoublesAsync(string service, string sql, CancellationToken cancellationToken) =>
        QueryAsync(service, sql, reader => Convert.ToDouble(reader.GetValue(0)), cancellationToken);

    /// <summary>Every row of a query, each read by <paramref name="read"/>.</summary>
    public async Task<List<T>> QueryAsync<T>(string service, string sql, Func<NpgsqlDataReader, T> read, CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(ConnectionString(service));
        await connection.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand(sql, connection) { CommandTimeout = 300 };
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var rows = new List<T>();
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add(read(reader));
        }

        return rows;
    }

    public async Task<long> ScalarAsync(string service, string sql, CancellationToken cancellationToken) =>
        (long)(await QueryDoublesAsync(service, sql, cancellationToken))[0];

    public async ValueTask DisposeAsync()
    {
        await _processes.DisposeAsync();
        await PostgresDatabases.DropAllAsync(); // the bench's databases are the only ones this process named
    }
}
