using System.Net;
using System.Net.Sockets;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;
using ConcertBooking.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace ConcertBooking.Tests.Integration;

/// <summary>
/// `dotnet run --project ConcertBooking.AppHost`, as its resource model under Aspire's test host: the four services
/// from their projects on this machine's RabbitMQ and PostgreSQL, and the dashboard that their telemetry reaches.
/// The services get free ports (not make up's 5101–5104), databases and a virtual host of this run's own.
/// </summary>
[TestFixture]
[Category(TestCategories.Integration)]
[NonParallelizable]
public sealed class AppHostTests
{
    private static readonly string[] Services = ["user-service", "concert-service", "payment-service", "token-service"];
    private static readonly string[] Replicas = ["concert-service", "payment-service", "token-service"];
    private static readonly string[] Databases = ["users", "concert", "payment", "token"];
    private static readonly TimeSpan StartTimeout = TimeSpan.FromMinutes(4);

    [Test]
    public async Task The_AppHost_starts_the_four_services_and_its_dashboard_shows_one_signup_as_one_trace_across_them()
    {
        if (!HeadlessChromium.Available)
        {
            Assert.Ignore("Debian's chromium is not installed (make test installs it).");
        }

        await using var virtualHost = await RabbitMqVirtualHost.CreateAsync();
        var databasePrefix = $"cb_{TestEnvironment.RunId}_apphost";
        var dashboardAddress = new Uri($"http://127.0.0.1:{FreePort()}");
        var postgres = new NpgsqlConnectionStringBuilder(TestEnvironment.PostgresServer) { MaxPoolSize = 20 };

        await using var appHost = await DistributedApplicationTestingBuilder.CreateAsync<Projects.ConcertBooking_AppHost>(
            [
                "--ConcertBooking:Infrastructure=Local",
                // Ports Aspire picks for the services, not make up's; the dashboard's are fixed below, so that the
                // services' OTLP address (taken from configuration) is where the dashboard listens.
                "--ConcertBooking:FixedPorts=false",
                "--DcpPublisher:RandomizePorts=false",
                $"--ConcertBooking:DatabasePrefix={databasePrefix}",
                $"--ConcertBooking:RabbitMqVirtualHost={virtualHost.Name}",
                $"--ConcertBooking:Local:Postgres={postgres.ConnectionString}",
                $"--ConcertBooking:Local:RabbitMqHost={TestEnvironment.RabbitMqHost}",
                $"--ConcertBooking:Local:RabbitMqPort={TestEnvironment.RabbitMqPort}",
                $"--ConcertBooking:Local:RabbitMqUsername={TestEnvironment.RabbitMqUser}",
                $"--ConcertBooking:Local:RabbitMqPassword={TestEnvironment.RabbitMqPassword}",
                // The dashboard on free ports, plain HTTP, no login and its telemetry API on: a test reads it.
                $"--ASPNETCORE_URLS={dashboardAddress}",
                $"--ASPIRE_DASHBOARD_OTLP_ENDPOINT_URL=http://127.0.0.1:{FreePort()}",
                "--ASPIRE_ALLOW_UNSECURED_TRANSPORT=true",
                "--ASPIRE_DASHBOARD_UNSECURED_ALLOW_ANONYMOUS=true",
                "--ASPIRE_DASHBOARD_API_ENABLED=true",
                // The services' output is kept by the AppHost and attached when the test fails; the run's log stays short.
                "--Logging:LogLevel:Default=Warning",
            ],
            (options, host) =>
            {
                options.DisableDashboard = false; // the test host leaves it out unless asked
                host.EnvironmentName = "Development"; // as dotnet run: telemetry exported every second, every trace kept
            });

        var app = await appHost.BuildAsync();
        var clients = new Dictionary<string, HttpClient>();
        try
        {
            await app.StartAsync();
            TestContext.Out.WriteLine($"Dashboard: {dashboardAddress}");

            foreach (var service in Services)
            {
                clients[service] = new HttpClient { BaseAddress = app.GetEndpoint(service, "http"), Timeout = TimeSpan.FromSeconds(30) };
            }

            foreach (var (service, client) in clients)
            {
                await Eventually.Until(() => IsReadyAsync(client), $"{service} ({client.BaseAddress}) to be ready", StartTimeout);
            }

            var user = await clients["user-service"].SignUpAndInAsync("Ada");
            foreach (var replica in Replicas)
            {
                await Eventually.Until(async () => (await clients[replica].SendAsAsync(user, HttpMethod.Get, $"/users/{user.Id}")).StatusCode == HttpStatusCode.OK,
                    $"the new user in {replica}'s replica");
            }

            using var dashboard = new AspireDashboard(dashboardAddress);
            var signup = await Eventually.Until(
                async () => (await dashboard.SpansOfAsync("user-service")).FirstOrDefault(IsSignupRequest),
                span => span is not null, "the signup's request span in the dashboard");
            var trace = await Eventually.Until(() => dashboard.TraceAsync(signup!.TraceId), HasArrived,
                $"trace {signup!.TraceId} in the dashboard to hold the relay's publish and the replicas' consumers and writes");
            TestContext.Out.WriteLine($"Trace {signup.TraceId}: {trace.Count} spans");
            foreach (var span in trace)
            {
                TestContext.Out.WriteLine($"  {span.Service,-16} {span.Kind,-9} {span.Name}");
            }

            Assert.Multiple(() =>
            {
                Assert.That(trace.Count(span => span.Kind == DashboardSpanKind.Server), Is.EqualTo(1), "one HTTP request starts the trace");
                Assert.That(trace, Has.Some.Matches<DashboardSpan>(span => span.Service == "user-service" && span.Kind == DashboardSpanKind.Client),
                    "the user and its outbox row written in the request");
                Assert.That(trace, Has.Some.Matches<DashboardSpan>(span => span.Service == "user-service" && span.Kind == DashboardSpanKind.Producer),
                    "the relay's publish");
            });

            var screenshot = Path.Combine(TestContext.CurrentContext.WorkDirectory, $"aspire-trace-{TestEnvironment.RunId}.png");
            await dashboard.ScreenshotTraceAsync(signup.TraceId, Services, screenshot);
            TestContext.AddTestAttachment(screenshot, "The signup's trace in the Aspire dashboard");
        }
        catch
        {
            await AttachResourceLogsAsync(app);
            throw;
        }
        finally
        {
            foreach (var client in clients.Values)
            {
                client.Dispose();
            }

            await app.DisposeAsync();
            await DropDatabasesAsync(databasePrefix);
        }
    }

    private static bool IsSignupRequest(DashboardSpan span) =>
        span.Kind == DashboardSpanKind.Server && span.Name.StartsWith("POST /users", StringComparison.Ordinal);

    /// <summary>
    /// Every process has exported its part: the relay's publish and, in each replica, its consumer and its write. Each
    /// service exports on its own schedule, so the replicas' spans can reach the dashboard before the relay's.
    /// </summary>
    private static bool HasArrived(IReadOnlyList<DashboardSpan> trace) =>
        trace.Any(span => span.Service == "user-service" && span.Kind == DashboardSpanKind.Producer) &&
        Replicas.All(replica =>
            trace.Any(span => span.Service == replica && span.Kind == DashboardSpanKind.Consumer) &&
            trace.Any(span => span.Service == replica && span.Kind == DashboardSpanKind.Client));

    private static async Task<bool> IsReadyAsync(HttpClient client)
    {
        // Aspire's proxy accepts connections before the service listens behind it: a probe may hang, not fail.
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        try
        {
            return (await client.GetAsync("/health/ready", timeout.Token)).StatusCode == HttpStatusCode.OK;
        }
        catch (Exception ex) when (ex is HttpRequestException or OperationCanceledException)
        {
            return false;
        }
    }

    /// <summary>What each service printed, kept with a failed run.</summary>
    private static async Task AttachResourceLogsAsync(DistributedApplication app)
    {
        var logs = app.Services.GetRequiredService<ResourceLoggerService>();
        foreach (var service in Services)
        {
            var path = Path.Combine(TestContext.CurrentContext.WorkDirectory, "service-logs", $"apphost-{service}-{TestEnvironment.RunId}.log");
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            await using var file = new StreamWriter(path);
            await foreach (var batch in logs.GetAllAsync(service))
            {
                foreach (var line in batch)
                {
                    await file.WriteLineAsync(line.Content);
                }
            }

            TestContext.AddTestAttachment(path, $"{service}'s console output");
        }
    }

    private static async Task DropDatabasesAsync(string prefix)
    {
        NpgsqlConnection.ClearAllPools();
        await using var connection = new NpgsqlConnection(PostgresDatabases.ConnectionString("postgres"));
        await connection.OpenAsync();
        foreach (var database in Databases)
        {
            await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{prefix}_{database}\" WITH (FORCE)", connection);
            await drop.ExecuteNonQueryAsync();
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
