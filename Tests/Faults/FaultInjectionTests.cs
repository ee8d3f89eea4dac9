using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using ConcertBooking.Contracts;
using ConcertBooking.Messaging.Hosting;
using ConcertBooking.Messaging.Kafka;
using ConcertBooking.Messaging.Operations;
using ConcertBooking.Messaging.Publishing;
using ConcertBooking.Tests.Infrastructure;
using RabbitMQ.Client;

namespace ConcertBooking.Tests.Faults;

/// <summary>
/// Faults against the services as real processes on the real broker and database, on each transport: RabbitMQ (the
/// machine's broker, in a virtual host of the system's own) and Kafka (a dev broker process of the system's own).
/// Each fault reaches only the system under test: nobody else using the machine's broker or database sees it. Each
/// test prints what it injected and what it verified. Nothing may be lost and nothing applied twice.
/// </summary>
[TestFixture(TestTransport.RabbitMq)]
[TestFixture(TestTransport.Kafka)]
[Category(TestCategories.Faults)]
[NonParallelizable]
public sealed class FaultInjectionTests(TestTransport transport)
{
    private static readonly string OpsKey = TestSecrets.OpsApiKey;
    private static readonly TimeSpan ConvergeTimeout = TimeSpan.FromMinutes(4);

    [Test]
    public async Task The_broker_away_during_a_burst_of_2000_signups_and_back_loses_and_duplicates_nothing()
    {
        await using var system = await StartAsync(brokerBehindProxy: true);
        var fault = transport == TestTransport.RabbitMq
            ? "every service's AMQP connection cut at its proxy (new ones refused)"
            : "every broker of the dev broker down";

        var statuses = await SignUpBurstAsync(system, 2000, onProgress: async done =>
        {
            if (done == 400)
            {
                await system.BrokerDownAsync();
                TestContext.Out.WriteLine($"Injected after 400 signups: {fault}");
            }
            else if (done == 1400)
            {
                await system.BrokerUpAsync();
                TestContext.Out.WriteLine("Injected after 1400 signups: the broker back");
            }
        });

        Assert.That(statuses.Count(s => s == HttpStatusCode.Created), Is.EqualTo(2000), "every signup answered 201 while the broker was away");
        var converging = Stopwatch.StartNew();
        await system.AllReplicasConvergeAsync(2000, ConvergeTimeout);
        TestContext.Out.WriteLine($"Verified: every replica holds exactly the 2000 users, one inbox entry each ({converging.Elapsed.TotalSeconds:0.0} s after the burst)");
    }

    [Test]
    public async Task A_consumer_service_killed_with_SIGKILL_mid_burst_and_restarted_converges()
    {
        await using var system = await StartAsync();
        var restarted = new Stopwatch();

        var statuses = await SignUpBurstAsync(system, 1000, onProgress: async done =>
        {
            if (done == 300)
            {
                system["concert"].Kill();
                TestContext.Out.WriteLine("Injected: ConcertService killed with SIGKILL after 300 signups");
            }
            else if (done == 700)
            {
                await system["concert"].StartAsync();
                restarted.Start();
                TestContext.Out.WriteLine("Injected: ConcertService started again (and ready) after 700 signups");
            }
        });

        Assert.That(statuses, Has.All.EqualTo(HttpStatusCode.Created));
        await system.AllReplicasConvergeAsync(1000, ConvergeTimeout);
        TestContext.Out.WriteLine($"Verified: the killed consumer caught up {restarted.Elapsed.TotalSeconds:0.0} s after it was ready again; no event lost or applied twice");
    }

    [Test]
    public async Task A_consumer_database_away_for_30_s_has_its_messages_retried_and_none_lost()
    {
        await using var database = new TcpProxy(PostgresDatabases.Server.Host!, PostgresDatabases.Server.Port);
        await using var system = await StartAsync(
            service => service == "payment" ? [new("Ops__ApiKey", OpsKey)] : [],
            postgresPort: service => service == "payment" ? database.Port : null);

        var statuses = await SignUpBurstAsync(system, 300, onProgress: async done =>
        {
            if (done == 100)
            {
                database.Cut();
                TestContext.Out.WriteLine("Injected: PaymentService's database unreachable for 30 s after 100 signups");
                _ = Task.Delay(TimeSpan.FromSeconds(30)).ContinueWith(_ =>
                {
                    database.Restore();
                    TestContext.Out.WriteLine("Injected: PaymentService's database reachable again");
                }, TaskScheduler.Default);
            }

            await Task.CompletedTask;
        });

        Assert.That(statuses, Has.All.EqualTo(HttpStatusCode.Created));
        await system.AllReplicasConvergeAsync(300, ConvergeTimeout);
        using var ops = OpsClient(system["payment"]);
        Assert.That(await ops.GetFromJsonAsync<List<DeadLetter>>("/ops/dead-letters"), Is.Empty,
            "transient failures were retried, not dead-lettered");
        TestContext.Out.WriteLine("Verified: all 300 users reached PaymentService after the outage, none dead-lettered");
    }

    [Test]
    public async Task Poison_messages_are_dead_lettered_with_the_reason_and_nothing_else_stalls()
    {
        await using var system = await StartAsync(service => service == "concert" ? [new("Ops__ApiKey", OpsKey)] : []);
        var expected = transport == TestTransport.RabbitMq ? await InjectRabbitMqPoisonAsync(system) : await InjectKafkaPoisonAsync(system);

        using var users = system["users"].CreateClient();
        var after = await users.SignUpAsync("After the poison");
        await Eventually.Until(() => system.CountAsync("concert", $"""SELECT count(*) FROM concert."Users" WHERE "Id" = '{after.Id}'"""),
            n => n == 1, "a good message to flow past the poison");

        using var ops = OpsClient(system["concert"]);
        var letters = await Eventually.Until(
            async () => (await ops.GetFromJsonAsync<List<DeadLetter>>("/ops/dead-letters?max=1000"))!,
            list => list.DistinctBy(l => l.MessageId).Count() >= expected.DeadLetters, $"{expected.DeadLetters} dead letters of ConcertService");
        foreach (var letter in letters.DistinctBy(l => l.ExceptionType))
        {
            TestContext.Out.WriteLine($"Verified: dead letter on {letter.Queue}: {letter.ExceptionType}: {Truncate(letter.Reason)}");
        }

        Assert.Multiple(async () =>
        {
            // Distinct: a record handled again after a rebalance may be dead-lettered twice, as at-least-once allows.
            Assert.That(letters.DistinctBy(l => l.MessageId).Count(), Is.EqualTo(expected.DeadLetters), "every poison message, nothing else");
            Assert.That(letters, Has.All.Matches<DeadLetter>(l => !string.IsNullOrEmpty(l.Reason)), "each with its reason");
            foreach (var (what, matches) in expected.Kinds)
            {
                Assert.That(letters.Select(l => l.ExceptionType ?? ""), Has.Some.Matches<string>(t => matches(t)), what);
            }

            if (transport == TestTransport.Kafka)
            {
                Assert.That(letters.Select(l => l.Queue), Has.All.EqualTo(SystemTopology.UserStream + ".dlt"), "on the user stream's dead-letter topic");
            }

            var metrics = await ops.GetStringAsync("/metrics");
            Assert.That(metrics, Does.Contain(expected.TransportMetric), "the transport's own meter, on a service in its own process");
        });

        if (transport == TestTransport.RabbitMq)
        {
            var skipped = await Eventually.Until(() => system.VirtualHost!.MessagesInQueueAsync("concert-project-user-created_skipped"),
                n => n >= 1, "the unknown type set aside in the skipped queue", TimeSpan.FromSeconds(30));
            Assert.That(skipped, Is.EqualTo(1));
        }
    }

    /// <summary>Onto the UserCreated exchange: malformed JSON, an unknown message type (MassTransit skips it) and a 2 MB body the replica refuses.</summary>
    private static async Task<PoisonExpected> InjectRabbitMqPoisonAsync(ProcessSystem system)
    {
        var factory = new ConnectionFactory
        {
            HostName = TestEnvironment.RabbitMqHost, Port = TestEnvironment.RabbitMqPort, VirtualHost = system.VirtualHost!.Name,
            UserName = TestEnvironment.RabbitMqUser, Password = TestEnvironment.RabbitMqPassword,
        };
        await using var connection = await factory.CreateConnectionAsync();
        await using var channel = await connection.CreateChannelAsync(new CreateChannelOptions(true, true));

        async Task PublishAsync(string body, string what)
        {
            var properties = new BasicProperties { ContentType = "application/vnd.masstransit+json", MessageId = Guid.NewGuid().ToString(), Persistent = true };
            await channel.BasicPublishAsync("ConcertBooking.Contracts:UserCreated", "", false, properties, Encoding.UTF8.GetBytes(body));
            TestContext.Out.WriteLine($"Injected: {what} ({body.Length:N0} bytes) onto the UserCreated exchange");
        }

        await PublishAsync("{\"messageType\": [\"urn:message:ConcertBooking.Contracts:UserCreated\"], \"message\": {", "malformed JSON");
        await PublishAsync(Envelope("urn:message:Nobody.Knows:ThisType", "{\"x\":1}"), "an unknown message type");
        await PublishAsync(Envelope("urn:message:ConcertBooking.Contracts:UserCreated", UserCreatedJson(new string('x', 2_000_000))), "an oversized body");

        return new PoisonExpected(2, "messaging_masstransit_receive",
        [
            ("the malformed one", t => t.Contains("Serialization") || t.Contains("Json")),
            ("the oversized one", t => t == typeof(Npgsql.PostgresException).FullName),
        ]);
    }

    /// <summary>
    /// Onto every partition of the user stream, ahead of any real event: malformed JSON, an unknown message type and
    /// a record the replica's database refuses (a 200,000-character name). Every one goes to the stream's .dlt topic.
    /// </summary>
    private static async Task<PoisonExpected> InjectKafkaPoisonAsync(ProcessSystem system)
    {
        var bootstrap = system.Kafka!.BootstrapServers;
        const string topic = SystemTopology.UserStream;
        var partitions = KafkaRecords.PartitionCount(bootstrap, topic);
        var userCreated = MessageTypeNames.Of(typeof(UserCreated));
        var poison = new (string What, byte[] Value, string MessageType)[]
        {
            ("malformed JSON", "{ not json"u8.ToArray(), userCreated),
            ("an unknown message type", Encoding.UTF8.GetBytes(UserCreatedJson("x")), "Nobody.Knows.ThisEvent, Nowhere"),
            ("a name the replica refuses", Encoding.UTF8.GetBytes(UserCreatedJson(new string('x', 200_000))), userCreated),
        };
        for (var partition = 0; partition < partitions; partition++)
        {
            foreach (var (_, value, messageType) in poison)
            {
                await KafkaRecords.ProduceRawAsync(bootstrap, topic, partition, $"poison-{Guid.NewGuid():N}", value, new Dictionary<string, string>
                {
                    [KafkaHeaders.MessageId] = Guid.NewGuid().ToString(),
                    [KafkaHeaders.MessageType] = messageType,
                });
            }
        }

        TestContext.Out.WriteLine($"Injected: {string.Join(", ", poison.Select(p => $"{p.What} ({p.Value.Length:N0} bytes)"))} onto each of the {partitions} partitions of {topic}");
        return new PoisonExpected(poison.Length * partitions, "kafka_consumer_lag",
        [
            ("the malformed one", t => t == typeof(MalformedMessageException).FullName),
            ("the unknown type", t => t == typeof(UnknownMessageTypeException).FullName),
            // The replica writes with one statement of its own, so the database's refusal arrives as itself, not wrapped by SaveChanges.
            ("the refused one", t => t == typeof(Npgsql.PostgresException).FullName),
        ]);
    }

    private Task<ProcessSystem> StartAsync(
        Func<string, IEnumerable<KeyValuePair<string, string>>>? settings = null, Func<string, ushort?>? postgresPort = null, bool brokerBehindProxy = false) =>
        ProcessSystem.StartAsync(settings, postgresPort, new ProcessSystemOptions { Transport = transport, BrokerBehindProxy = brokerBehindProxy });

    private static HttpClient OpsClient(ServiceProcess service)
    {
        var client = service.CreateClient();
        client.DefaultRequestHeaders.Add("X-Api-Key", OpsKey);
        return client;
    }

    private static string UserCreatedJson(string name) =>
        JsonSerializer.Serialize(new UserCreated(Guid.CreateVersion7(), name, "poison@example.com", 1, DateTimeOffset.UtcNow), MessageSerialization.Options);

    private static string Envelope(string messageType, string message) =>
        $"{{\"messageId\":\"{Guid.NewGuid()}\",\"messageType\":[\"{messageType}\"],\"message\":{message}}}";

    private static string Truncate(string? text) => text is null ? "" : text.Length <= 160 ? text : text[..160] + "…";

    /// <summary>Signs up <paramref name="count"/> users with 8 concurrent clients; progress hooks inject faults.</summary>
    private static async Task<List<HttpStatusCode>> SignUpBurstAsync(ProcessSystem system, int count, Func<int, Task> onProgress)
    {
        using var client = system["users"].CreateClient();
        var statuses = new ConcurrentBag<HttpStatusCode>();
        var next = 0;
        var done = 0;
        var hooks = new SemaphoreSlim(1, 1);
        await Task.WhenAll(Enumerable.Range(0, 8).Select(async _ =>
        {
            while (Interlocked.Increment(ref next) is var i && i <= count)
            {
                var response = await client.PostAsJsonAsync("/users",
                    new { name = $"Burst {i}", email = UserApiClient.UniqueEmail($"burst{i}"), password = UserApiClient.Password });
                statuses.Add(response.StatusCode);
                var completed = Interlocked.Increment(ref done);
                await hooks.WaitAsync();
                try
                {
                    await onProgress(completed);
                }
                finally
                {
                    hooks.Release();
                }
            }
        }));
        return [.. statuses];
    }

    /// <summary>What a transport's poison must come to: how many dead letters ConcertService lists, of which kinds, and the transport's meter.</summary>
    private sealed record PoisonExpected(int DeadLetters, string TransportMetric, IReadOnlyList<(string What, Func<string, bool> Matches)> Kinds);
}
