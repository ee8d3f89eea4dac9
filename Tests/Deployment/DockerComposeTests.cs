using System.Reflection;
using System.Text.Json.Nodes;
using ConcertBooking.Database;
using ConcertBooking.EntryPasses;
using ConcertBooking.Messaging;
using ConcertBooking.Messaging.Hosting;
using ConcertBooking.Messaging.Kafka;
using ConcertBooking.Messaging.RabbitMq;
using ConcertBooking.Tests.Infrastructure;
using YamlDotNet.Core;
using YamlDotNet.Serialization;

namespace ConcertBooking.Tests.Deployment;

/// <summary>
/// No Docker engine runs here, so docker-compose.yml is held against the services' own configuration instead:
/// ports, service names, and that every environment variable it sets is a setting the services actually read.
/// </summary>
[TestFixture]
[Category(TestCategories.Deployment)]
public sealed class DockerComposeTests
{
    private static readonly string Root = FindRepositoryRoot();
    private Dictionary<string, Dictionary<object, object>> _services = null!;

    public static IEnumerable<TestCaseData> Services()
    {
        foreach (var (service, project) in new[] { ("users", "UserService"), ("concert", "ConcertService"), ("payment", "PaymentService"), ("token", "TokenService") })
        {
            yield return new TestCaseData(service, project, "kafka", TestTransport.Kafka, DatabaseProvider.SqlServer).SetArgDisplayNames(service);
            yield return new TestCaseData(service + "-local", project, "local", TestTransport.RabbitMq, DatabaseProvider.Postgres).SetArgDisplayNames(service + "-local");
        }
    }

    [OneTimeSetUp]
    public void Parse()
    {
        using var reader = new StreamReader(Path.Combine(Root, "docker-compose.yml"));
        // MergingParser resolves the file's `<<: *anchor` merge keys, as docker compose does.
        var document = new DeserializerBuilder().Build().Deserialize<Dictionary<object, object>>(new MergingParser(new Parser(reader)));
        _services = ((Dictionary<object, object>)document["services"])
            .ToDictionary(s => (string)s.Key, s => (Dictionary<object, object>)s.Value);
    }

    [TestCaseSource(nameof(Services))]
    public void A_service_matches_its_own_configuration(string name, string project, string profile, TestTransport transport, DatabaseProvider database)
    {
        Assert.That(_services, Contains.Key(name));
        var service = _services[name];
        var environment = Map(service["environment"]).ToDictionary(e => (string)e.Key, e => e.Value?.ToString() ?? "");
        var appsettings = JsonNode.Parse(File.ReadAllText(Path.Combine(Root, project, "appsettings.json")))!;
        var port = new Uri(appsettings["Urls"]!.GetValue<string>()).Port;
        var build = Map(service["build"]);
        var dockerfile = Path.Combine(Root, build.TryGetValue("dockerfile", out var file) ? (string)file : "Dockerfile");

        Assert.Multiple(() =>
        {
            Assert.That(List(service["profiles"]), Is.EqualTo(new[] { profile }));
            Assert.That(List(service["ports"]), Is.EqualTo(new[] { $"{port}:{port}" }), "published port = the port in appsettings.json Urls");
            Assert.That(new Uri(environment["Urls"].Replace("0.0.0.0", "localhost", StringComparison.Ordinal)).Port, Is.EqualTo(port));
            Assert.That(environment["Messaging__ServiceName"], Is.EqualTo(appsettings["Messaging"]!["ServiceName"]!.GetValue<string>()));
            Assert.That(Enum.Parse<TestTransport>(environment["Messaging__Transport"]), Is.EqualTo(transport));
            Assert.That(Enum.Parse<DatabaseProvider>(environment["Database__Provider"]), Is.EqualTo(database));
            Assert.That(environment["ConnectionStrings__Database"], Does.Contain(database == DatabaseProvider.SqlServer ? "${MSSQL_SA_PASSWORD:-" : "${POSTGRES_PASSWORD:-"),
                "passwords come from a variable with a dev-only default");
            foreach (var key in environment.Keys)
            {
                Assert.That(IsKnownSetting(key, appsettings), Is.True, $"{name}: {key} is not a setting the service reads");
            }

            Assert.That(File.Exists(dockerfile), Is.True, dockerfile);
            Assert.That(File.ReadAllText(dockerfile), Does.Contain("dotnet/sdk:10.0").And.Contain("dotnet/aspnet:10.0").And.Contain("$SERVICE.dll"));
            Assert.That(Map(build["args"])["SERVICE"], Is.EqualTo(project), "the one Dockerfile builds this service's project");
            Assert.That(service, Contains.Key("healthcheck"));
            foreach (var (dependency, condition) in Map(service["depends_on"]))
            {
                Assert.That(_services, Contains.Key((string)dependency));
                Assert.That(_services[(string)dependency], Contains.Key("healthcheck"), $"{dependency} needs a health check to be waited for");
                Assert.That(List(_services[(string)dependency]["profiles"]), Is.EqualTo(new[] { profile }), $"{dependency} runs in the same profile");
                Assert.That(Map(condition)["condition"], Is.EqualTo("service_healthy"));
            }
        });
    }

    [Test]
    public void Kafka_runs_as_a_single_KRaft_node_that_the_services_reach()
    {
        var kafka = Map(_services["kafka"]["environment"]).ToDictionary(e => (string)e.Key, e => e.Value?.ToString() ?? "");
        var bootstrap = Map(_services["users"]["environment"])["Messaging__Kafka__BootstrapServers"];
        Assert.Multiple(() =>
        {
            Assert.That(kafka["KAFKA_PROCESS_ROLES"], Is.EqualTo("broker,controller"));
            Assert.That(kafka["KAFKA_CONTROLLER_QUORUM_VOTERS"], Does.StartWith($"{kafka["KAFKA_NODE_ID"]}@kafka:"));
            Assert.That(kafka["KAFKA_ADVERTISED_LISTENERS"], Does.Contain($"PLAINTEXT://{bootstrap}"));
            Assert.That(_services.Keys, Has.None.Contains("zookeeper"));
            Assert.That(_services, Contains.Key("sqlserver"));
            Assert.That((string)_services["sqlserver"]["image"], Does.StartWith("mcr.microsoft.com/mssql/server:2022"));
            Assert.That(File.ReadAllLines(Path.Combine(Root, ".env")), Does.Contain("COMPOSE_PROFILES=kafka"), "plain `docker compose up` runs the Kafka stack");
            Assert.That(File.Exists(Path.Combine(Root, ".dockerignore")), Is.True);
        });
    }

    [Test]
    public void On_Kafka_the_services_create_the_topics_so_the_user_stream_is_compacted()
    {
        var kafka = Environment("kafka");
        Assert.Multiple(() =>
        {
            Assert.That(kafka["KAFKA_AUTO_CREATE_TOPICS_ENABLE"], Is.EqualTo("false"),
                "a topic the broker auto-created would get the broker's cleanup policy, not the stream's compaction");
            Assert.That(kafka.GetValueOrDefault("KAFKA_LOG_CLEANER_ENABLE", "true"), Is.EqualTo("true"), "compaction is the log cleaner's work");
            foreach (var name in new[] { "users", "concert", "payment", "token" })
            {
                var service = Environment(name);
                Assert.That(service.GetValueOrDefault("Messaging__Kafka__CreateTopics", "true"), Is.EqualTo("true"), $"{name} creates its topics");
                Assert.That(service.Keys.Where(k => k.StartsWith("Messaging__Kafka__Topics__", StringComparison.Ordinal)), Is.Empty,
                    $"{name} keeps every type on the system's topics: the user events on {SystemTopology.UserStream}");
            }
        });
    }

    [Test]
    public void The_monitoring_profile_scrapes_every_service_and_its_dashboard_charts_metrics_the_services_export()
    {
        var prometheus = File.ReadAllText(Path.Combine(Root, "deploy", "prometheus", "prometheus.yml"));
        var dashboard = JsonNode.Parse(File.ReadAllText(Path.Combine(Root, "deploy", "grafana", "dashboards", "concertbooking.json")))!;
        var expressions = dashboard["panels"]!.AsArray().Select(p => (string)p!["targets"]![0]!["expr"]!).ToList();
        Assert.Multiple(() =>
        {
            foreach (var service in new[] { "prometheus", "grafana" })
            {
                Assert.That(List(_services[service]["profiles"]), Is.EqualTo(new[] { "monitoring" }), service);
                foreach (var mount in List(_services[service]["volumes"]))
                {
                    Assert.That(Path.Exists(Path.Combine(Root, mount.Split(':')[0])), Is.True, $"{service} mounts {mount}");
                }
            }

            foreach (var (name, project) in new[] { ("users", "UserService"), ("concert", "ConcertService"), ("payment", "PaymentService"), ("token", "TokenService") })
            {
                var port = new Uri((string)JsonNode.Parse(File.ReadAllText(Path.Combine(Root, project, "appsettings.json")))!["Urls"]!).Port;
                Assert.That(prometheus, Does.Contain($"\"{name}:{port}\"").And.Contain($"\"{name}-local:{port}\""), $"{name} is scraped");
            }

            // The instruments the dashboard charts, as the Prometheus exporter names them (see MessagingMetrics).
            foreach (var metric in new[] { "outbox_pending", "outbox_oldest_pending_age_seconds", "replication_lag_milliseconds_bucket", "inbox_duplicates_dropped_total" })
            {
                Assert.That(expressions, Has.Some.Contains(metric), metric);
            }
        });
    }

    [TestCase("concert", "token")]
    [TestCase("concert-local", "token-local")]
    public void The_services_that_issue_and_check_entry_passes_share_one_signing_key(string checker, string issuer)
    {
        string Key(string service) => (string)Map(_services[service]["environment"])["EntryPass__SigningKey"];
        Assert.That(Key(checker), Is.EqualTo(Key(issuer)).And.StartWith("${ENTRY_PASS_SIGNING_KEY:-"));
    }

    /// <summary>
    /// <c>Section__Property</c> names a property of the options class bound from that section (nested sections and
    /// dictionaries included); <c>Urls</c> and <c>ConnectionStrings__*</c> must be what appsettings.json sets.
    /// </summary>
    private static bool IsKnownSetting(string key, JsonNode appsettings)
    {
        var path = key.Split("__");
        return path[0] switch
        {
            "Urls" => appsettings["Urls"] is not null,
            "ConnectionStrings" => path.Length == 2 && appsettings["ConnectionStrings"]?[path[1]] is not null,
            MessagingOptions.SectionName => path.Length > 1 && path[1] switch
            {
                "RabbitMq" => HasProperty(typeof(RabbitMqOptions), path[2..]),
                "Kafka" => HasProperty(typeof(KafkaOptions), path[2..]),
                _ => HasProperty(typeof(MessagingOptions), path[1..]),
            },
            DatabaseOptions.SectionName => HasProperty(typeof(DatabaseOptions), path[1..]),
            EntryPassOptions.SectionName => HasProperty(typeof(EntryPassOptions), path[1..]),
            _ => false,
        };
    }

    private static bool HasProperty(Type type, string[] path)
    {
        if (path.Length == 0)
        {
            return true;
        }

        if (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(Dictionary<,>))
        {
            return path.Length == 1; // a key of a dictionary setting, e.g. Messaging__Kafka__Topics__UserCreated
        }

        var property = type.GetProperty(path[0], BindingFlags.Public | BindingFlags.Instance | BindingFlags.IgnoreCase);
        return property is { CanWrite: true } && HasProperty(property.PropertyType, path[1..]);
    }

    private Dictionary<string, string> Environment(string service) =>
        Map(_services[service]["environment"]).ToDictionary(e => (string)e.Key, e => e.Value?.ToString() ?? "");

    private static Dictionary<object, object> Map(object node) => (Dictionary<object, object>)node;

    private static List<string> List(object node) => [.. ((List<object>)node).Select(o => (string)o)];

    private static string FindRepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "ConcertBooking.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("ConcertBooking.sln not found above the test output folder.");
    }
}
