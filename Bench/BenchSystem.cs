using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using Npgsql;

namespace ConcertBooking.Bench;

/// <summary>The four services as processes on the local RabbitMQ and PostgreSQL, in a virtual host and databases of their own.</summary>
internal sealed class BenchSystem : IAsyncDisposable
{
    public static readonly string[] Replicas = ["concert", "payment", "token"];
    private static readonly string Server = Environment.GetEnvironmentVariable("CB_TEST_POSTGRES")
        ?? "Host=127.0.0.1;Port=5432;Username=concertbooking;Password=concertbooking;SSL Mode=Disable";
    private readonly string _root;
    private readonly string _stamp = DateTime.UtcNow.ToString("MMddHHmmss");
    private readonly HttpClient _management;
    private readonly Dictionary<string, string> _databases = [];

    private BenchSystem(string root)
    {
        _root = root;
        VirtualHost = $"cb-bench-{_stamp}";
        _management = new HttpClient { BaseAddress = new Uri("http://127.0.0.1:15672") };
        _management.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic",
            Convert.ToBase64String(Encoding.UTF8.GetBytes("concertbooking:concertbooking")));
    }

    public string VirtualHost { get; }

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

    public Dictionary<string, ServiceLauncher> Services { get; } = [];

    public ServiceLauncher Users => Services["users"];

    public static async Task<BenchSystem> StartAsync(string root, CancellationToken cancellationToken)
    {
        var system = new BenchSystem(root);
        (await system._management.PutAsync($"api/vhosts/{system.VirtualHost}", null, cancellationToken)).EnsureSuccessStatusCode();
        (await system._management.PutAsJsonAsync($"api/permissions/{system.VirtualHost}/concertbooking",
            new { configure = ".*", write = ".*", read = ".*" }, cancellationToken)).EnsureSuccessStatusCode();
        foreach (var service in Replicas.Append("users"))
        {
            system._databases[service] = $"bench_{system._stamp}_{service}";
        }

        try
        {
            foreach (var service in Replicas)
            {
                await system.StartServiceAsync(service, service == "concert" ? ConcertSettings : [], cancellationToken);
            }

            await system.StartServiceAsync("users", [], cancellationToken);
        }
        catch
        {
            await system.DisposeAsync(); // no process may outlive a failed start
            throw;
        }

        Console.WriteLine($"System up: vhost {system.VirtualHost}, UserService on {system.Users.BaseAddress}");
        return system;
    }

    public async Task<ServiceLauncher> StartServiceAsync(string service, IEnumerable<KeyValuePair<string, string>> settings, CancellationToken cancellationToken, string? name = null)
    {
        var project = service switch { "users" => "UserService", "concert" => "ConcertService", "payment" => "PaymentService", _ => "TokenService" };
        var environment = new Dictionary<string, string>
        {
            ["ConnectionStrings__Database"] = ConnectionString(service),
            ["Messaging__RabbitMq__VirtualHost"] = VirtualHost,
            ["Messaging__RabbitMq__Username"] = "concertbooking",
            ["Messaging__RabbitMq__Password"] = "concertbooking",
        };
        foreach (var (key, value) in settings)
        {
            environment[key] = value;
        }

        var launcher = new ServiceLauncher(_root, project, environment);
        Services[name ?? service] = launcher; // registered first, so that disposal stops it even if it never got ready
        await launcher.StartAsync(cancellationToken);
        return launcher;
    }

    public async Task StopServiceAsync(string name)
    {
        await Services[name].DisposeAsync();
        Services.Remove(name);
    }

    public string ConnectionString(string service) =>
        new NpgsqlConnectionStringBuilder(Server) { Database = _databases[service], MaxPoolSize = 20 }.ConnectionString;

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
        foreach (var service in Services.Values)
        {
            await service.DisposeAsync();
        }

        await _management.DeleteAsync($"api/vhosts/{VirtualHost}");
        NpgsqlConnection.ClearAllPools();
        await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(Server) { Database = "postgres" }.ConnectionString);
        await connection.OpenAsync();
        foreach (var database in _databases.Values)
        {
            await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{database}\" WITH (FORCE)", connection);
            await drop.ExecuteNonQueryAsync();
        }
    }
}
