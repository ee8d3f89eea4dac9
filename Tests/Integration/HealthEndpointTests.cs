using System.Net;
using System.Text.Json.Nodes;
using ConcertBooking.Tests.Infrastructure;

namespace ConcertBooking.Tests.Integration;

/// <summary>
/// The health contract: <c>/health/ready</c> says whether this instance can serve its API (its database answers);
/// a broker outage or an outbox backlog shows in <c>/health</c>, for people and alerting, but keeps the instance in
/// rotation, since the outbox exists so that writes go on while the broker is away.
/// </summary>
[TestFixture]
[Category(TestCategories.Integration)]
public sealed class HealthEndpointTests
{
    [Test]
    public async Task A_broker_outage_shows_in_health_but_keeps_the_instances_ready_and_taking_writes()
    {
        await using var broker = new TcpProxy(TestEnvironment.RabbitMqHost, TestEnvironment.RabbitMqPort);
        await using var system = await ConcertBookingSystem.StartAsync(new SystemOptions
        {
            RabbitMqPort = service => service is "users" or "concert" ? broker.Port : TestEnvironment.RabbitMqPort,
            Settings = service => service == "users"
                ? [new("Messaging:Outbox:PublishTimeout", "00:00:01"), new("Messaging:Outbox:StuckAfter", "00:00:02")]
                : [],
        });
        using var users = system.Users.CreateClient();
        using var concert = system.Concert.CreateClient();
        await Eventually.Until(async () => (await HealthAsync(concert, "/health")).Status, s => s == HttpStatusCode.OK, "/health 200 at start");

        broker.Cut();
        TestContext.Out.WriteLine("Injected: UserService's and ConcertService's connections to RabbitMQ cut");
        var signedUp = await users.SignUpAsync("Written While Away");
        // A consumer's bus reports its receive endpoints down; a publisher's outbox reports its events not leaving.
        var consumerHealth = await Eventually.Until(() => HealthAsync(concert, "/health"), h => CheckStatus(h.Body, "bus") == "Unhealthy",
            "ConcertService's /health to report the bus down", TimeSpan.FromSeconds(60));
        var publisherHealth = await Eventually.Until(() => HealthAsync(users, "/health"), h => CheckStatus(h.Body, "outbox") == "Unhealthy",
            "UserService's /health to report the outbox stuck", TimeSpan.FromSeconds(60));
        var consumerReady = await HealthAsync(concert, "/health/ready");
        var publisherReady = await HealthAsync(users, "/health/ready");
        TestContext.Out.WriteLine($"ConcertService /health {(int)consumerHealth.Status}: {consumerHealth.Body["checks"]!["bus"]!.ToJsonString()}");
        TestContext.Out.WriteLine($"UserService /health {(int)publisherHealth.Status}: {publisherHealth.Body["checks"]!["outbox"]!.ToJsonString()}");
        TestContext.Out.WriteLine($"/health/ready: ConcertService {(int)consumerReady.Status}, UserService {(int)publisherReady.Status}: {publisherReady.Body.ToJsonString()}");

        Assert.Multiple(() =>
        {
            Assert.That(consumerHealth.Status, Is.EqualTo(HttpStatusCode.ServiceUnavailable), "/health answers 503 for alerting");
            Assert.That(publisherHealth.Status, Is.EqualTo(HttpStatusCode.ServiceUnavailable), "/health answers 503 for alerting");
            Assert.That(publisherHealth.Body["checks"]?["outbox"]?["description"]?.GetValue<string>(), Does.Contain("pending"), "the outbox check says why");
            Assert.That(consumerReady.Status, Is.EqualTo(HttpStatusCode.OK), "ready: the database answers, so the API can serve");
            Assert.That(publisherReady.Status, Is.EqualTo(HttpStatusCode.OK), "ready: the database answers, so the API can serve");
            Assert.That(publisherReady.Body["checks"]?.AsObject().Select(c => c.Key), Is.EquivalentTo(new[] { "database" }), "readiness asks the database only");
        });

        broker.Restore();
        await system.AllReplicasReachAsync(signedUp.Id, version: 1, timeout: TimeSpan.FromSeconds(60));
        await Eventually.Until(async () => (await HealthAsync(users, "/health")).Status, s => s == HttpStatusCode.OK, "UserService's /health 200 again");
        await Eventually.Until(async () => (await HealthAsync(concert, "/health")).Status, s => s == HttpStatusCode.OK, "ConcertService's /health 200 again",
            TimeSpan.FromSeconds(60));
    }

    [Test]
    public async Task Health_lists_every_check_with_its_status_and_live_needs_nothing()
    {
        await using var system = await ConcertBookingSystem.StartAsync();
        using var concert = system.Concert.CreateClient();

        var health = await Eventually.Until(() => HealthAsync(concert, "/health"), h => h.Status == HttpStatusCode.OK, "/health 200");
        var live = await concert.GetAsync("/health/live");

        Assert.Multiple(() =>
        {
            Assert.That(health.Body["checks"]?.AsObject().Select(c => c.Key), Is.SupersetOf(new[] { "database", "bus", "outbox" }));
            Assert.That(health.Body["checks"]?["outbox"]?["data"]?["parked"]?.GetValue<int>(), Is.Zero);
            Assert.That(live.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        });
    }

    internal static async Task<(HttpStatusCode Status, JsonNode Body)> HealthAsync(HttpClient client, string path)
    {
        using var response = await client.GetAsync(path);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, (text.Length > 0 && text[0] == '{' ? JsonNode.Parse(text) : null) ?? new JsonObject());
    }

    internal static string? CheckStatus(JsonNode body, string check) => body["checks"]?[check]?["status"]?.GetValue<string>();
}
