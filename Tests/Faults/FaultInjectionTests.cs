using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using ConcertBooking.Tests.Infrastructure;
using RabbitMQ.Client;

namespace ConcertBooking.Tests.Faults;

/// <summary>
/// Faults against the services as real processes on the real broker and database: each test prints what it
/// injected and what it verified. Nothing may be lost and nothing applied twice.
/// </summary>
[TestFixture]
[Category(TestCategories.Faults)]
[NonParallelizable]
public sealed class FaultInjectionTests
{
    private static readonly TimeSpan ConvergeTimeout = TimeSpan.FromMinutes(4);

    [Test]
    public async Task The_broker_stopped_during_a_burst_of_2000_signups_and_restarted_loses_and_duplicates_nothing()
    {
        await using var system = await ProcessSystem.StartAsync();
        var stopped = new TaskCompletionSource();
        var restarted = new TaskCompletionSource();

        var burst = SignUpBurstAsync(system, 2000, onProgress: async done =>
        {
            if (done == 400)
            {
                await RabbitMqBroker.StopAsync();
                TestContext.Out.WriteLine("Injected: RabbitMQ stopped after 400 signups");
                stopped.SetResult();
            }
            else if (done == 1400)
            {
                await RabbitMqBroker.StartAsync();
                TestContext.Out.WriteLine("Injected: RabbitMQ started again after 1400 signups");
                restarted.SetResult();
            }
        });
        try
        {
            var statuses = await burst;
            Assert.That(statuses.Count(s => s == HttpStatusCode.Created), Is.EqualTo(2000), "every signup answered 201 while the broker was away");
        }
        finally
        {
            if (stopped.Task.IsCompleted && !restarted.Task.IsCompleted)
            {
                await RabbitMqBroker.StartAsync();
            }
        }

        await system.AllReplicasConvergeAsync(2000, ConvergeTimeout);
        TestContext.Out.WriteLine("Verified: every replica holds exactly the 2000 users, one inbox entry each");
    }

    [Test]
    public async Task A_consumer_service_killed_with_SIGKILL_mid_burst_and_restarted_converges()
    {
        await using var system = await ProcessSystem.StartAsync();

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
                TestContext.Out.WriteLine("Injected: ConcertService started again after 700 signups");
            }
        });

        Assert.That(statuses, Has.All.EqualTo(HttpStatusCode.Created));
        await system.AllReplicasConvergeAsync(1000, ConvergeTimeout);
        TestContext.Out.WriteLine("Verified: the killed consumer caught up; no event lost or applied twice");
    }

    [Test]
    public async Task A_consumer_database_away_for_30_s_has_its_messages_retried_and_none_lost()
    {
        await using var database = new TcpProxy(PostgresDatabases.Server.Host!, PostgresDatabases.Server.Port);
        await using var system = await ProcessSystem.StartAsync(postgresPort: service => service == "payment" ? database.Port : null);

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
        Assert.That(await system.VirtualHost.MessagesInQueueAsync("payment-project-user-created_error"), Is.Null.Or.Zero,
            "transient failures were retried, not dead-lettered");
        TestContext.Out.WriteLine("Verified: all 300 users reached PaymentService after the outage, none dead-lettered");
    }

    [Test]
    public async Task Poison_messages_land_in_the_error_queue_with_the_reason_and_nothing_else_stalls()
    {
        await using var system = await ProcessSystem.StartAsync(service => service == "concert"
            ? [new("Ops__ApiKey", TestSecrets.OpsApiKey)]
            : []);
        var factory = new ConnectionFactory
        {
            HostName = TestEnvironment.RabbitMqHost, Port = TestEnvironment.RabbitMqPort, VirtualHost = system.VirtualHost.Name,
            UserName = TestEnvironment.RabbitMqUser, Password = TestEnvironment.RabbitMqPassword,
        };
        await using (var connection = await factory.CreateConnectionAsync())
        await using (var channel = await connection.CreateChannelAsync(new CreateChannelOptions(true, true)))
        {
            async Task PublishAsync(string body, string what)
            {
                var properties = new BasicProperties { ContentType = "application/vnd.masstransit+json", MessageId = Guid.NewGuid().ToString(), Persistent = true };
                await channel.BasicPublishAsync("ConcertBooking.Contracts:UserCreated", "", false, properties, Encoding.UTF8.GetBytes(body));
                TestContext.Out.WriteLine($"Injected: {what} ({body.Length:N0} bytes) onto the UserCreated exchange");
            }

            await PublishAsync("{\"messageType\": [\"urn:message:ConcertBooking.Contracts:UserCreated\"], \"message\": {", "malformed JSON");
            await PublishAsync(Envelope("urn:message:Nobody.Knows:ThisType", "{\"x\":1}"), "an unknown message type");
            var hugeName = new string('x', 2_000_000);
            await PublishAsync(Envelope("urn:message:ConcertBooking.Contracts:UserCreated",
                $"{{\"userId\":\"{Guid.CreateVersion7()}\",\"name\":\"{hugeName}\",\"email\":\"big@example.com\",\"version\":1,\"occurredAt\":\"2026-01-01T00:00:00Z\"}}"),
                "an oversized body");
        }

        using var users = system["users"].CreateClient();
        var after = await users.SignUpAsync("After the poison");
        await Eventually.Until(() => system.CountAsync("concert", $"""SELECT count(*) FROM concert."Users" WHERE "Id" = '{after.Id}'"""),
            n => n == 1, "a good message to flow past the poison");

        using var ops = system["concert"].CreateClient();
        ops.DefaultRequestHeaders.Add("X-Api-Key", TestSecrets.OpsApiKey);
        var letters = await Eventually.Until(
            async () => (await ops.GetFromJsonAsync<List<Messaging.Operations.DeadLetter>>("/ops/dead-letters"))!,
            list => list.Count >= 2, "the malformed and the oversized message in the error queue");
        foreach (var letter in letters)
        {
            TestContext.Out.WriteLine($"Verified: dead letter on {letter.Queue}: {letter.ExceptionType}: {Truncate(letter.Reason)}");
        }

        Assert.Multiple(async () =>
        {
            Assert.That(letters, Has.All.Matches<Messaging.Operations.DeadLetter>(l => !string.IsNullOrEmpty(l.Reason)), "each with its reason");
            Assert.That(letters.Select(l => l.ExceptionType), Has.Some.Contains("Serialization").Or.Some.Contains("Json"), "the malformed one");
            Assert.That(letters.Select(l => l.ExceptionType), Has.Some.Contains("Postgres").Or.Some.Contains("DbUpdate"), "the oversized one");
            var skipped = await Eventually.Until(() => system.VirtualHost.MessagesInQueueAsync("concert-project-user-created_skipped"),
                n => n >= 1, "the unknown type set aside in the skipped queue", TimeSpan.FromSeconds(30));
            Assert.That(skipped, Is.EqualTo(1));
            var metrics = await ops.GetStringAsync("/metrics");
            Assert.That(metrics, Does.Contain("messaging_masstransit_receive"), "MassTransit's own meter, on a service in its own process");
        });
    }

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
}

/// <summary>The point of the design, with real processes: UserService killed, booking goes on for replicated users.</summary>
[TestFixture]
[Category(TestCategories.Faults)]
[NonParallelizable]
public sealed class UserServiceDownTests
{
    private static readonly Guid DemoConcert = Guid.Parse("0c0ce27a-0000-4000-8000-000000000001");

    [Test]
    public async Task With_UserService_killed_queue_entry_reservation_and_payment_all_succeed_with_the_token_issued_before()
    {
        await using var system = await ProcessSystem.StartAsync(service => service == "token"
            ? [new("Queue__AdmissionInterval", "00:00:00.200"), new("Queue__AdmitPerInterval", "100")]
            : []);
        using var users = system["users"].CreateClient();
        var user = await users.SignUpAndInAsync("Fan of replicas");
        foreach (var replica in ProcessSystem.ReplicaNames)
        {
            await Eventually.Until(() => system.CountAsync(replica, $"""SELECT count(*) FROM {replica}."Users" WHERE "Id" = '{user.Id}'"""),
                n => n == 1, $"the user in the {replica} replica");
        }

        system["users"].Kill();
        TestContext.Out.WriteLine($"Injected: UserService killed with SIGKILL after user {user.Id} was replicated and signed in");

        using var token = system["token"].CreateClient();
        using var concert = system["concert"].CreateClient();
        using var payment = system["payment"].CreateClient();
        foreach (var client in new[] { token, concert, payment })
        {
            client.DefaultRequestHeaders.Authorization = user.Bearer;
        }

        var entered = await token.PostAsync($"/queue/{DemoConcert}/tokens", null);
        Assert.That(entered.StatusCode, Is.EqualTo(HttpStatusCode.Created), "queue entry");
        var tokenId = (await entered.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>()).GetProperty("tokenId").GetGuid();
        var admitted = await Eventually.Until(() => token.GetFromJsonAsync<System.Text.Json.JsonElement>($"/queue/tokens/{tokenId}"),
            t => t.GetProperty("status").GetString() == "Admitted", "admission");
        var pass = admitted.GetProperty("entryPass").GetString()!;

        var seats = await concert.GetFromJsonAsync<List<System.Text.Json.JsonElement>>($"/concerts/{DemoConcert}/seats");
        var seatId = seats!.First(s => s.GetProperty("status").GetString() == "Available").GetProperty("id").GetGuid();
        using var reserve = new HttpRequestMessage(HttpMethod.Post, "/reservations") { Content = JsonContent.Create(new { seatId }) };
        reserve.Headers.Add("X-Entry-Pass", pass);
        var reserved = await concert.SendAsync(reserve);
        Assert.That(reserved.StatusCode, Is.EqualTo(HttpStatusCode.Created), "reservation: " + await reserved.Content.ReadAsStringAsync());
        var reservationId = (await reserved.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>()).GetProperty("id").GetGuid();

        var charged = await payment.PostAsJsonAsync($"/wallets/{user.Id}/charge", new { amount = 100.00m });
        Assert.That(charged.StatusCode, Is.EqualTo(HttpStatusCode.OK), "wallet charge");
        await Eventually.Until(async () => (await payment.GetAsync($"/payable-reservations/{reservationId}")).StatusCode,
            s => s == HttpStatusCode.OK, "ReservationCreated in PaymentService");
        using var pay = new HttpRequestMessage(HttpMethod.Post, "/payments") { Content = JsonContent.Create(new { reservationId }) };
        pay.Headers.Add("Idempotency-Key", Guid.NewGuid().ToString());
        var paid = await payment.SendAsync(pay);
        Assert.That(paid.StatusCode, Is.EqualTo(HttpStatusCode.Created), "payment: " + await paid.Content.ReadAsStringAsync());

        await Eventually.Until(() => concert.GetFromJsonAsync<System.Text.Json.JsonElement>($"/reservations/{reservationId}"),
            r => r.GetProperty("status").GetString() == "Confirmed", "the reservation confirmed by PaymentCompleted");
        TestContext.Out.WriteLine("Verified: queue entry 201, admission, reservation 201, charge 200, payment 201 and confirmation, all with UserService dead, "
            + "each service checking the access token locally");
    }
}
