using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using ConcertBooking.Contracts;
using ConcertBooking.Messaging.Outbox;
using ConcertBooking.Tests.Infrastructure;
using ConcertBooking.UserService.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ConcertBooking.Tests.Integration;

/// <summary>
/// An outbox row that can never be published (here a contract renamed since the row was written) must not be retried
/// forever: after <c>Outbox:MaxAttempts</c> refusals it is parked. It still holds back the later rows of its key (order
/// is kept), it shows in a metric, in <c>/health</c> and on the status page, and operators list, retry and discard it;
/// a discard keeps the row as an audit trail and releases the key.
/// </summary>
[TestFixture]
[Category(TestCategories.Integration)]
public sealed partial class OutboxParkingTests
{
    private static readonly string ApiKey = TestSecrets.OpsApiKey;

    [Test]
    public async Task A_row_that_is_refused_every_time_is_parked_holds_its_key_and_is_released_by_a_discard()
    {
        await using var system = await ConcertBookingSystem.StartAsync(new SystemOptions
        {
            Settings = service => service == "users"
                ? [new("Ops:ApiKey", ApiKey), new("Messaging:Outbox:MaxAttempts", "3"),
                    new("Messaging:Outbox:RetryBaseDelay", "00:00:00.050"), new("Messaging:Outbox:RetryMaxDelay", "00:00:00.200")]
                : [],
        });
        using var ops = system.Users.CreateClient();
        ops.DefaultRequestHeaders.Add("X-Api-Key", ApiKey);

        // A row of a contract this build no longer has, then the next event of the same key, then another key's event.
        var held = Guid.CreateVersion7();
        var other = Guid.CreateVersion7();
        var unpublishable = Guid.CreateVersion7();
        await system.Users.WithScopeAsync(async services =>
        {
            var db = services.GetRequiredService<UserDbContext>();
            db.Set<OutboxMessage>().Add(new OutboxMessage
            {
                MessageId = unpublishable,
                MessageType = "ConcertBooking.Contracts.UserRenamedAway, Contracts",
                Body = "{}",
                PartitionKey = held.ToString(),
                CreatedAt = DateTimeOffset.UtcNow,
                NextAttemptAt = DateTimeOffset.UtcNow,
            });
            await db.SaveChangesAsync();
            var outbox = services.GetRequiredService<IOutbox>();
            outbox.Add(new UserCreated(held, "Held Back", $"held.{held:N}@example.com", 1, DateTimeOffset.UtcNow), held.ToString());
            outbox.Add(new UserCreated(other, "Not Held", $"other.{other:N}@example.com", 1, DateTimeOffset.UtcNow), other.ToString());
            await db.SaveChangesAsync();
        });

        await system.AllReplicasReachAsync(other, version: 1);
        var parked = await Eventually.Until(() => ParkedAsync(ops), rows => rows.Count == 1, "the refused row to be parked");
        TestContext.Out.WriteLine($"Verified: parked {parked[0]!.ToJsonString()}");
        Assert.Multiple(async () =>
        {
            Assert.That(parked[0]!["messageId"]!.GetValue<Guid>(), Is.EqualTo(unpublishable));
            Assert.That(parked[0]!["attempts"]!.GetValue<int>(), Is.EqualTo(3));
            Assert.That(parked[0]!["lastError"]!.GetValue<string>(), Does.Contain("UserRenamedAway"));
            Assert.That(await ConcertBookingSystem.FindReplicaAsync(system.Concert.Services, held), Is.Null, "the key's next event waits");
            Assert.That((await ops.GetAsync("/health/ready")).StatusCode, Is.EqualTo(HttpStatusCode.OK));
        });

        var health = await HealthEndpointTests.HealthAsync(ops, "/health");
        var status = await ops.GetFromJsonAsync<JsonNode>("/ops/status.json");
        var metrics = await Eventually.Until(() => ops.GetStringAsync("/metrics"), text => ParkedGauge().IsMatch(text), "the outbox_parked gauge at 1");
        Assert.Multiple(() =>
        {
            Assert.That(HealthEndpointTests.CheckStatus(health.Body, "outbox"), Is.EqualTo("Degraded"));
            Assert.That(health.Body["checks"]!["outbox"]!["description"]!.GetValue<string>(), Does.Contain("parked"));
            Assert.That(status!["outbox"]!["parked"]!.GetValue<int>(), Is.EqualTo(1), "the status page's count");
            Assert.That(status["outbox"]!["parkedRows"]!.AsArray(), Has.Count.EqualTo(1), "the status page's list");
            Assert.That(metrics, Does.Match(ParkedGauge().ToString()));
        });

        // A retry starts its attempts anew; the contract is still gone, so it is parked again.
        using var failures = MessagingProbes.Counter(system.Users.Services, "outbox.dispatch_failures");
        Assert.That((await ops.PostAsync($"/ops/outbox/parked/{unpublishable}/retry", null)).StatusCode, Is.EqualTo(HttpStatusCode.OK));
        await Eventually.Until(async () => failures.Sum() >= 3 && (await ParkedAsync(ops)).Count == 1, "the retried row to fail three times and park again");

        // A discard needs a reason, keeps the row with it, and lets the key's next event go.
        Assert.That((await ops.PostAsJsonAsync($"/ops/outbox/parked/{unpublishable}/discard", new { reason = "" })).StatusCode,
            Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That((await ops.PostAsJsonAsync($"/ops/outbox/parked/{Guid.NewGuid()}/discard", new { reason = "no such row" })).StatusCode,
            Is.EqualTo(HttpStatusCode.NotFound));
        var discard = await ops.PostAsJsonAsync($"/ops/outbox/parked/{unpublishable}/discard", new { reason = "UserRenamedAway was dropped in 2.0" });
        Assert.That(discard.StatusCode, Is.EqualTo(HttpStatusCode.OK), await discard.Content.ReadAsStringAsync());

        await system.AllReplicasReachAsync(held, version: 1);
        var audit = await system.Users.WithScopeAsync(services => services.GetRequiredService<UserDbContext>().Database
            .SqlQuery<DiscardAudit>($"""SELECT "DiscardedAt", "DiscardReason" FROM users."OutboxMessages" WHERE "MessageId" = {unpublishable}""")
            .SingleAsync());
        TestContext.Out.WriteLine($"Verified: discarded at {audit.DiscardedAt:O} because \"{audit.DiscardReason}\"; the key's next event arrived");
        Assert.Multiple(async () =>
        {
            Assert.That(audit.DiscardedAt, Is.Not.Null);
            Assert.That(audit.DiscardReason, Is.EqualTo("UserRenamedAway was dropped in 2.0"));
            Assert.That(await ParkedAsync(ops), Is.Empty);
        });
    }

    private static async Task<JsonArray> ParkedAsync(HttpClient ops)
    {
        using var response = await ops.GetAsync("/ops/outbox/parked");
        return response.IsSuccessStatusCode ? (await response.Content.ReadFromJsonAsync<JsonArray>())! : [];
    }

    [GeneratedRegex(@"(?m)^outbox_parked(_messages)?(\{[^}]*\})? 1(\.0)?( |$)")]
    private static partial Regex ParkedGauge();

    private sealed class DiscardAudit
    {
        public DateTimeOffset? DiscardedAt { get; init; }

        public string? DiscardReason { get; init; }
    }
}
