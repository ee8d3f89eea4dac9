using ConcertBooking.Tests.Infrastructure;
using ConcertBooking.UserService.Data;

namespace ConcertBooking.Tests.Integration;

/// <summary>
/// RabbitMQ confirms a publish that no queue receives unless it is mandatory. An event published before its
/// consumers' queues exist (a first deploy, a renamed service) must be a failure the relay retries and reports, not a
/// confirmed publish that nobody receives.
/// </summary>
[TestFixture]
[Category(TestCategories.Integration)]
public sealed class UnroutablePublishTests
{
    [Test]
    public async Task An_event_published_before_any_consumer_ever_started_is_retried_until_their_queues_exist()
    {
        var relayOn = new KeyValuePair<string, string?>[] { new("Messaging:Outbox:RelayEnabled", "true") };
        await using var system = await ConcertBookingSystem.StartAsync(new SystemOptions
        {
            StartLater = _ => true, // UserService alone: no consumer queue exists in this virtual host yet
            Settings = service => service == "users"
                ? [new("Messaging:Outbox:RelayEnabled", "false"), new("Messaging:Outbox:RetryBaseDelay", "00:00:00.100"),
                    new("Messaging:Outbox:RetryMaxDelay", "00:00:00.500")]
                : [],
        });
        using var users = system.Users.CreateClient();
        var user = await users.SignUpAsync("Early Eve");

        await using (var early = system.Users.AnotherInstance(relayOn))
        {
            _ = early.Services;
            var pending = await Eventually.Until(() => MessagingProbes.OutboxAsync<UserDbContext>(system.Users.Services),
                rows => rows.Any(r => r.PartitionKey == user.Id.ToString() && r.Attempts >= 2 && r.DispatchedAt is null),
                "the unroutable publish to fail and be retried");
            var row = pending.Single(r => r.PartitionKey == user.Id.ToString());
            TestContext.Out.WriteLine($"Verified: pending after {row.Attempts} attempts: {row.LastError}");
            Assert.That(row.LastError, Does.Contain("unroutable"));
        }

        // The consumers start and bind their queues; only then does a relay run again, so that all three are bound
        // (one bound queue is enough to make a publish routable).
        foreach (var (name, services) in new[] { ("concert", system.Concert.CreateClient()), ("payment", system.Payment.CreateClient()), ("token", system.Token.CreateClient()) })
        {
            using var client = services;
            await Eventually.Until(async () => HealthEndpointTests.CheckStatus((await HealthEndpointTests.HealthAsync(client, "/health")).Body, "bus"),
                status => status == "Healthy", $"{name}'s receive endpoints ready");
        }

        await using var relay = system.Users.AnotherInstance(relayOn);
        _ = relay.Services;
        await system.AllReplicasReachAsync(user.Id, version: 1, timeout: TimeSpan.FromSeconds(60));
        var dispatched = (await MessagingProbes.OutboxAsync<UserDbContext>(system.Users.Services)).Single(r => r.PartitionKey == user.Id.ToString());
        Assert.That(dispatched.DispatchedAt, Is.Not.Null);
    }
}
