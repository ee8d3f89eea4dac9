using System.Reflection;
using System.Text.RegularExpressions;
using System.Text.Json.Nodes;
using ConcertBooking.Database;
using ConcertBooking.EntryPasses;
using ConcertBooking.Messaging;
using ConcertBooking.Messaging.Hosting;
using ConcertBooking.Messaging.Kafka;
using ConcertBooking.Messaging.RabbitMq;
using ConcertBooking.ServiceDefaults;
using ConcertBooking.ServiceDefaults.Authentication;
using ConcertBooking.Tests.Infrastructure;
using ConcertBooking.UserService.Identity;
using YamlDotNet.Core;
using YamlDotNet.Serialization;

namespace ConcertBooking.Tests.Deployment;

/// <summary>
/// No Docker engine runs here, so docker-compose.yml is held against the services' own configuration instead:
/// ports, service names, and that every environment variable it sets is a setting the services actually read.
/// </summary>
[TestFixture]
[Category(TestCategories.Deployment)]
public sealed partial class DockerComposeTests
{
    private static readonly string Root = FindRepositoryRoot();
    private Dictionary<object, object> _root = null!;
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
        _root = new DeserializerBuilder().Build().Deserialize<Dictionary<object, object>>(new MergingParser(new Parser(reader)));
        _services = ((Dictionary<object, object>)_root["services"])
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
            var login = $"concertbooking_{name.Replace("-local", "", StringComparison.Ordinal)}";
            Assert.That(environment["ConnectionStrings__Database"], Does.Contain(database == DatabaseProvider.SqlServer ? $"User Id={login};" : $"Username={login};")
                .And.Contain($"${{{login.Replace("concertbooking_", "", StringComparison.Ordinal).ToUpperInvariant()}_DB_PASSWORD:?"),
                "the service's own login, its password a required variable");
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
                Assert.That(List(_services[(string)dependency]["profiles"]), Is.EqualTo(new[] { profile }), $"{dependency} runs in the same profile");
                if (Map(condition)["condition"] is "service_completed_successfully")
                {
                    Assert.That(_services[(string)dependency]["restart"], Is.EqualTo("no"), $"{dependency} is a one-shot job");
                }
                else
                {
                    Assert.That(_services[(string)dependency], Contains.Key("healthcheck"), $"{dependency} needs a health check to be waited for");
                    Assert.That(Map(condition)["condition"], Is.EqualTo("service_healthy"));
                }
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
    public void Kafka_and_the_databases_keep_their_data_on_named_volumes_across_container_restarts()
    {
        var kafka = Environment("kafka");
        Assert.Multiple(() =>
        {
            Assert.That(List(_services["kafka"]["volumes"]), Does.Contain($"kafka-data:{kafka["KAFKA_LOG_DIRS"]}"),
                "the broker's log dir is on a volume: dispatched outbox rows are deleted, so the log is the only copy");
            Assert.That(List(_services["sqlserver"]["volumes"]), Does.Contain("sqlserver-data:/var/opt/mssql"));
            Assert.That(List(_services["postgres"]["volumes"]), Does.Contain("postgres-data:/var/lib/postgresql/data"));
            Assert.That(Map(_root["volumes"]).Keys.Cast<string>(), Is.SupersetOf(new[] { "kafka-data", "sqlserver-data", "postgres-data" }));
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
        Assert.That(Key(checker), Is.EqualTo(Key(issuer)).And.StartWith("${ENTRY_PASS_SIGNING_KEY:?"));
    }

    /// <summary>Variables whose value is a password or a key: compose must refuse to start without them, never fall back.</summary>
    private static bool IsSecret(string variable) =>
        new[] { "PASSWORD", "KEY", "SECRET", "TOKEN", "PEM" }.Any(word => variable.Contains(word, StringComparison.OrdinalIgnoreCase))
        && !variable.EndsWith("_KEY_ID", StringComparison.Ordinal);

    [Test]
    public void No_secret_has_a_default_and_every_secret_is_required_with_a_message()
    {
        var text = File.ReadAllText(Path.Combine(Root, "docker-compose.yml"));
        var references = VariableReference().Matches(text).Select(m => (Name: m.Groups["name"].Value, Operator: m.Groups["op"].Value, Tail: m.Groups["rest"].Value)).ToList();
        var secrets = references.Where(r => IsSecret(r.Name)).ToList();

        Assert.Multiple(() =>
        {
            Assert.That(secrets.Select(s => s.Name).Distinct(), Is.SupersetOf(new[]
            {
                "IDENTITY_SIGNING_KEY_PEM", "IDENTITY_PUBLIC_KEY_PEM", "ENTRY_PASS_SIGNING_KEY", "OPS_API_KEY", "MSSQL_SA_PASSWORD", "POSTGRES_PASSWORD",
                "RABBITMQ_PASSWORD", "GRAFANA_ADMIN_PASSWORD", "USERS_DB_PASSWORD", "CONCERT_DB_PASSWORD", "PAYMENT_DB_PASSWORD", "TOKEN_DB_PASSWORD",
            }));
            foreach (var secret in secrets)
            {
                Assert.That(secret.Operator, Is.EqualTo(":?"), $"${{{secret.Name}{secret.Operator}{secret.Tail}}}: a secret must be ${{{secret.Name}:?message}}, with no default");
                Assert.That(secret.Tail, Is.Not.Empty, $"{secret.Name}: the message says what to set");
            }
        });
        TestContext.Out.WriteLine($"Verified: {secrets.Count} references to {secrets.Select(s => s.Name).Distinct().Count()} secrets, each ${{VAR:?message}}");
    }

    [TestCase("${ENTRY_PASS_SIGNING_KEY:-dev-only-key}", false, TestName = "The secret check rejects a default with :-")]
    [TestCase("${OPS_API_KEY-fallback}", false, TestName = "The secret check rejects a default with -")]
    [TestCase("${POSTGRES_PASSWORD}", false, TestName = "The secret check rejects a secret that may be empty")]
    [TestCase("${RABBITMQ_PASSWORD:?set it}", true, TestName = "The secret check accepts a required secret")]
    public void The_secret_check_itself_tells_a_default_from_a_requirement(string reference, bool accepted)
    {
        var match = VariableReference().Match(reference);
        Assert.That(match.Success && IsSecret(match.Groups["name"].Value), Is.True);
        Assert.That(match.Groups["op"].Value == ":?" && match.Groups["rest"].Value.Length > 0, Is.EqualTo(accepted));
    }

    [Test]
    public void Infrastructure_ports_are_published_on_the_loopback_interface_only()
    {
        var infrastructure = new[] { "kafka", "sqlserver", "rabbitmq", "postgres", "prometheus", "grafana" };
        Assert.Multiple(() =>
        {
            foreach (var name in infrastructure)
            {
                foreach (var port in _services[name].TryGetValue("ports", out var ports) ? List(ports) : [])
                {
                    Assert.That(port, Does.StartWith("127.0.0.1:"), $"{name} publishes {port}");
                }
            }
        });
    }

    [Test]
    public void Each_service_has_its_own_database_login_and_none_is_the_administrator()
    {
        var logins = new List<string>();
        foreach (var name in _services.Keys.Where(n => Map(_services[n]).ContainsKey("build")))
        {
            var connection = Environment(name)["ConnectionStrings__Database"];
            var login = LoginOf().Match(connection).Groups["login"].Value;
            Assert.That(login, Is.Not.Empty.And.Not.EqualTo("sa").And.Not.EqualTo("postgres").And.Not.EqualTo("concertbooking"), $"{name}: {connection}");
            logins.Add($"{List(_services[name]["profiles"]).Single()}:{login}");
        }

        Assert.That(logins, Is.Unique, "no two services of a profile share a login");
        var postgresInit = File.ReadAllText(Path.Combine(Root, "deploy", "postgres", "init-databases.sh"));
        var sqlServerInit = File.ReadAllText(Path.Combine(Root, "deploy", "sqlserver", "init-databases.sh"));
        Assert.That(postgresInit, Does.Contain("NOSUPERUSER").And.Contain("REVOKE ALL ON DATABASE"));
        Assert.That(sqlServerInit, Does.Contain("db_owner").And.Not.Contain("sysadmin"));
    }

    [Test]
    public void Grafana_has_no_anonymous_access_and_no_default_admin_password()
    {
        var environment = Environment("grafana");
        Assert.That(environment.GetValueOrDefault("GF_AUTH_ANONYMOUS_ENABLED", "false"), Is.EqualTo("false"));
        Assert.That(environment, Does.Not.ContainKey("GF_AUTH_ANONYMOUS_ORG_ROLE"));
        Assert.That(environment["GF_SECURITY_ADMIN_PASSWORD"], Does.StartWith("${GRAFANA_ADMIN_PASSWORD:?"));
    }

    [GeneratedRegex(@"(?<!\$)\$\{(?<name>[A-Za-z_][A-Za-z0-9_]*)(?<op>:?[-?+]|)(?<rest>[^}]*)\}")]
    private static partial Regex VariableReference();

    [GeneratedRegex(@"(User Id|Username)=(?<login>[^;]+);")]
    private static partial Regex LoginOf();

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
            ServiceAuthenticationOptions.SectionName => HasProperty(typeof(ServiceAuthenticationOptions), path[1..]),
            OpsOptions.SectionName => HasProperty(typeof(OpsOptions), path[1..]),
            IdentityIssuerOptions.SectionName => HasProperty(typeof(IdentityIssuerOptions), path[1..]),
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

        if (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(List<>))
        {
            // An element by its index, e.g. Authentication__IssuerKeys__0__PublicKeyPem.
            return int.TryParse(path[0], out _) && HasProperty(type.GetGenericArguments()[0], path[1..]);
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
