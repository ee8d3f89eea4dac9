using ConcertBooking.ConcertService.Data;
using ConcertBooking.Messaging;
using ConcertBooking.Database;
using ConcertBooking.PaymentService.Data;
using ConcertBooking.TokenService.Data;
using ConcertBooking.UserReplica;
using ConcertBooking.UserService.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ConcertBooking.Tests.Infrastructure;

/// <summary>
/// The four services in-process against the real RabbitMQ and PostgreSQL: a virtual host and four databases
/// of their own, so any number of systems can run side by side without seeing each other's messages.
/// </summary>
public sealed class ConcertBookingSystem : IAsyncDisposable
{
    private ConcertBookingSystem(RabbitMqVirtualHost virtualHost, SystemOptions options)
    {
        VirtualHost = virtualHost;
        Kafka = options.Transport == TestTransport.Kafka ? KafkaTestCluster.Create(options.KafkaBrokers) : null;
        Kafka?.CreateTopics(options.KafkaTopics);
        Users = new ServiceHost<UserDbContext>("users", Settings("users", virtualHost, Kafka, options), options.TestServices?.Invoke("users"));
        Concert = new ServiceHost<ConcertDbContext>("concert", Settings("concert", virtualHost, Kafka, options), options.TestServices?.Invoke("concert"));
        Payment = new ServiceHost<PaymentDbContext>("payment", Settings("payment", virtualHost, Kafka, options), options.TestServices?.Invoke("payment"));
        Token = new ServiceHost<TokenDbContext>("token", Settings("token", virtualHost, Kafka, options), options.TestServices?.Invoke("token"));
        if (options.RealHttp is { } realHttp)
        {
            if (realHttp("users")) Users.UseKestrel(0);
            if (realHttp("concert")) Concert.UseKestrel(0);
            if (realHttp("payment")) Payment.UseKestrel(0);
            if (realHttp("token")) Token.UseKestrel(0);
        }
    }

    public RabbitMqVirtualHost VirtualHost { get; }

    /// <summary>The Kafka cluster (mock or real) when the system runs on Kafka.</summary>
    public KafkaTestCluster? Kafka { get; }

    public ServiceHost<UserDbContext> Users { get; }

    public ServiceHost<ConcertDbContext> Concert { get; }

    public ServiceHost<PaymentDbContext> Payment { get; }

    public ServiceHost<TokenDbContext> Token { get; }

    /// <summary>The three services that keep a user replica, by name.</summary>
    public IEnumerable<(string Name, IServiceProvider Services)> Replicas =>
        [(Concert.Name, Concert.Services), (Payment.Name, Payment.Services), (Token.Name, Token.Services)];

    public static async Task<ConcertBookingSystem> StartAsync(SystemOptions? options = null)
    {
        var virtualHost = await RabbitMqVirtualHost.CreateAsync();
        options ??= new SystemOptions();
        var system = new ConcertBookingSystem(virtualHost, options);
        // Replicas first: their queues must be bound before UserService publishes anything. TokenService before
        // ConcertService, which announces its concerts as it starts.
        var later = options.StartLater ?? (_ => false);
        if (!later("token")) _ = system.Token.Services;
        if (!later("payment")) _ = system.Payment.Services;
        if (!later("concert")) _ = system.Concert.Services;
        _ = system.Users.Services;
        return system;
    }

    public static async Task<ReplicatedUser?> FindReplicaAsync(IServiceProvider services, Guid userId)
    {
        await using var scope = services.CreateAsyncScope();
        var store = scope.ServiceProvider.GetRequiredService<IUserReplicaStore>();
        return await store.Users.AsNoTracking().FirstOrDefaultAsync(u => u.Id == userId);
    }

    /// <summary>Null also when the replica's table cannot be read (a test moved it away).</summary>
    public static async Task<ReplicatedUser?> FindReplicaAsyncSafe(IServiceProvider services, Guid userId)
    {
        try
        {
            return await FindReplicaAsync(services, userId);
        }
        catch (Npgsql.PostgresException)
        {
            return null;
        }
    }

    /// <summary>Waits until TokenService's concert replica holds the concert, which ConcertService announces as it starts.</summary>
    public Task ConcertReplicatedAsync(Guid concertId) =>
        Eventually.Until(
            () => Token.WithScopeAsync(services => services.GetRequiredService<TokenDbContext>().Concerts.AnyAsync(c => c.Id == concertId)),
            $"concert {concertId} in TokenService's replica");

    /// <summary>Waits until every replica holds the user at <paramref name="version"/> (or newer).</summary>
    public async Task<IReadOnlyList<ReplicatedUser>> AllReplicasReachAsync(Guid userId, long version, TimeSpan? timeout = null)
    {
        var found = new List<ReplicatedUser>();
        foreach (var (name, services) in Replicas)
        {
            found.Add((await Eventually.Until(
                () => FindReplicaAsync(services, userId),
                user => user is not null && user.Version >= version,
                $"user {userId} at version {version} in the {name} replica",
                timeout))!);
        }

        return found;
    }

    private static Dictionary<string, string?> Settings(string service, RabbitMqVirtualHost virtualHost, KafkaTestCluster? kafka, SystemOptions options)
    {
        var settings = new Dictionary<string, string?>
        {
            ["ConnectionStrings:Database"] = options.Database == DatabaseProvider.SqlServer
                ? SqlServerDatabases.ConnectionString(SqlServerDatabases.NewName(service))
                : PostgresDatabases.ConnectionString(PostgresDatabases.NewName(service), port: options.PostgresPort?.Invoke(service)),
            ["Database:Provider"] = options.Database.ToString(),
            ["Messaging:Transport"] = "RabbitMq",
            ["Messaging:RabbitMq:Host"] = TestEnvironment.RabbitMqHost,
            ["Messaging:RabbitMq:Port"] = (options.RabbitMqPort?.Invoke(service) ?? TestEnvironment.RabbitMqPort).ToString(),
            ["Messaging:RabbitMq:VirtualHost"] = virtualHost.Name,
            ["Messaging:RabbitMq:Username"] = TestEnvironment.RabbitMqUser,
            ["Messaging:RabbitMq:Password"] = TestEnvironment.RabbitMqPassword,
            ["Messaging:Outbox:PollInterval"] = "00:00:00.500",
            ["Messaging:Outbox:RetryMaxDelay"] = "00:00:02",
        };
        // The Kafka settings and the raised rate limits go before the test's own, so that a test can still override them.
        foreach (var (key, value) in (kafka?.Settings(service) ?? []).Concat(RaisedRateLimits.Settings().Select(s => new KeyValuePair<string, string?>(s.Key, s.Value))))
        {
            settings[key] = value;
        }

        foreach (var (key, value) in options.Settings(service))
        {
            settings[key] = value;
        }

        return settings;
    }

    public async ValueTask DisposeAsync()
    {
        await Users.DisposeAsync();
        await Concert.DisposeAsync();
        await Payment.DisposeAsync();
        await Token.DisposeAsync();
        await VirtualHost.DisposeAsync();
        Kafka?.Dispose();

        // Pools are per connection string and outlive the hosts: without this, every system a run starts keeps
        // its idle connections for minutes, and a long run exhausts PostgreSQL's connection slots. All pools,
        // because the services add settings of their own to the configured string (Database:MaxAutoPrepare);
        // a pool still in use elsewhere only closes its connections as they come back.
        Npgsql.NpgsqlConnection.ClearAllPools();
        Microsoft.Data.SqlClient.SqlConnection.ClearAllPools();
    }
}

public sealed record SystemOptions
{
    /// <summary>The AMQP port a service connects to: a test puts a cuttable proxy in front of the broker this way.</summary>
    public Func<string, ushort>? RabbitMqPort { get; init; }

    /// <summary>Services that listen on a real loopback port (for a browser), not only the in-memory test server.</summary>
    public Func<string, bool>? RealHttp { get; init; }

    /// <summary>The PostgreSQL port a service connects to (a cuttable proxy), where not the server's own.</summary>
    public Func<string, ushort?>? PostgresPort { get; init; }

    /// <summary>Replicas not started with the system: a test starts them by touching their <c>Services</c>.</summary>
    public Func<string, bool>? StartLater { get; init; }

    /// <summary>Services a test replaces or decorates, per service name.</summary>
    public Func<string, Action<IServiceCollection>?>? TestServices { get; init; }

    /// <summary>Extra configuration per service name ("users", "concert", "payment", "token").</summary>
    public Func<string, IEnumerable<KeyValuePair<string, string?>>> Settings { get; init; } = _ => [];

    /// <summary>The broker the services talk to: the real local RabbitMQ, or Kafka (librdkafka's mock cluster or a real one).</summary>
    public TestTransport Transport { get; init; } = TestTransport.RabbitMq;

    /// <summary>PostgreSQL locally; SQL Server where <c>CB_TEST_SQLSERVER</c> names one.</summary>
    public DatabaseProvider Database { get; init; } = DatabaseProvider.Postgres;

    /// <summary>Brokers of the Kafka mock cluster.</summary>
    public int KafkaBrokers { get; init; } = 1;

    /// <summary>
    /// Topics (unprefixed) to create on the Kafka mock cluster besides the system's own, for a test that routes
    /// messages elsewhere; on a real cluster the services create them.
    /// </summary>
    public IEnumerable<string> KafkaTopics { get; init; } = [];
}
