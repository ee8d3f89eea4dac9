using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using ConcertBooking.ConcertService.Data;
using ConcertBooking.Contracts;
using ConcertBooking.Messaging;
using ConcertBooking.Database;
using ConcertBooking.Messaging.Outbox;
using ConcertBooking.Messaging.Publishing;
using ConcertBooking.PaymentService.Data;
using ConcertBooking.Tests.Infrastructure;
using ConcertBooking.TokenService.Data;
using ConcertBooking.UserService.Data;
using ConcertBooking.UserService.Users;
using Microsoft.Extensions.DependencyInjection;

namespace ConcertBooking.Tests.Integration;

/// <summary>
/// UserService's events reach all three replicas through a real broker and PostgreSQL: the same tests on each
/// transport (RabbitMQ locally; Kafka on librdkafka's mock cluster, or the cluster in KAFKA_BOOTSTRAP_SERVERS).
/// </summary>
[TestFixture(TestTransport.RabbitMq, DatabaseProvider.Postgres)]
[TestFixture(TestTransport.Kafka, DatabaseProvider.Postgres)]
[TestFixture(TestTransport.RabbitMq, DatabaseProvider.SqlServer)]
[TestFixture(TestTransport.Kafka, DatabaseProvider.SqlServer)]
[Category(TestCategories.Integration)]
public sealed class ReplicationTests(TestTransport transport, DatabaseProvider database)
{
    private ConcertBookingSystem _system = null!;
    private HttpClient _users = null!;

    [OneTimeSetUp]
    public async Task StartSystem()
    {
        if (database == DatabaseProvider.SqlServer && TestEnvironment.SqlServer is null)
        {
            Assert.Ignore("Needs a SQL Server (set CB_TEST_SQLSERVER to a connection string); none runs on this machine.");
        }

        _system = await ConcertBookingSystem.StartAsync(new SystemOptions { Transport = transport, Database = database });
        _users = _system.Users.CreateClient();
    }

    [OneTimeTearDown]
    public async Task StopSystem()
    {
        if (_system is null)
        {
            return; // ignored fixture
        }

        _users.Dispose();
        await _system.DisposeAsync();
    }

    [Test]
    public async Task A_signup_appears_in_every_replica()
    {
        var email = UserApiClient.UniqueEmail("ada");
        var user = await _users.SignUpAsync("Ada Lovelace", email);

        var replicas = await _system.AllReplicasReachAsync(user.Id, version: 1);

        Assert.That(replicas, Has.All.Matches<UserReplica.ReplicatedUser>(
            r => r.Name == "Ada Lovelace" && r.Email == email && r.Version == 1 && !r.IsDeleted));
    }

    [Test]
    public async Task A_rename_and_then_a_delete_propagate_with_their_versions()
    {
        var user = await _users.SignUpAndInAsync("Grace");

        var renamed = await _users.SendAsAsync(user, HttpMethod.Patch, $"/users/{user.Id}", new { name = "Grace Hopper" });
        Assert.That(renamed.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        var afterRename = await _system.AllReplicasReachAsync(user.Id, version: 2);
        Assert.That(afterRename.Select(r => r.Name), Is.All.EqualTo("Grace Hopper"));

        var deleted = await _users.SendAsAsync(user, HttpMethod.Delete, $"/users/{user.Id}");
        Assert.That(deleted.StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
        var afterDelete = await _system.AllReplicasReachAsync(user.Id, version: 3);
        Assert.That(afterDelete, Has.All.Matches<UserReplica.ReplicatedUser>(r => r.IsDeleted));

        // Asked by the user's own token, still valid: the replica knows the user is gone.
        using var concert = _system.Concert.CreateClient();
        var lookup = await concert.SendAsAsync(user, HttpMethod.Get, $"/users/{user.Id}");
        Assert.That(lookup.StatusCode, Is.EqualTo(HttpStatusCode.NotFound), "a tombstone is not served as a user");
    }

    [Test]
    public async Task A_transaction_that_rolls_back_publishes_nothing()
    {
        var ghostId = Guid.Empty;
        await _system.Users.WithScopeAsync(async services =>
        {
            var db = services.GetRequiredService<UserDbContext>();
            var outbox = services.GetRequiredService<IOutbox>();
            var (ghost, created) = User.SignUp("Ghost", UserApiClient.UniqueEmail("ghost"), passwordHash: "not-a-hash", DateTimeOffset.UtcNow);
            ghostId = ghost.Id;
            await using var transaction = await db.Database.BeginTransactionAsync();
            db.Users.Add(ghost);
            outbox.Add(created, ghost.Id.ToString());
            await db.SaveChangesAsync();
            await transaction.RollbackAsync();
        });

        // A signup committed after the rollback has been replicated everywhere: the relay has run since.
        var marker = await _users.SignUpAsync("Marker");
        await _system.AllReplicasReachAsync(marker.Id, version: 1);

        var outboxRows = await MessagingProbes.OutboxAsync<UserDbContext>(_system.Users.Services);
        Assert.That(outboxRows.Select(r => r.PartitionKey), Does.Not.Contain(ghostId.ToString()));
        foreach (var (name, services) in _system.Replicas)
        {
            Assert.That(await ConcertBookingSystem.FindReplicaAsync(services, ghostId), Is.Null, $"{name} replica");
        }
    }

    [Test]
    public async Task One_event_delivered_twice_has_one_effect_and_one_inbox_entry()
    {
        var userId = Guid.CreateVersion7();
        var messageId = Guid.CreateVersion7();
        var created = new UserCreated(userId, "Twice", UserApiClient.UniqueEmail("twice"), 1, DateTimeOffset.UtcNow);
        using var concertDuplicates = MessagingProbes.Counter(_system.Concert.Services, "inbox.duplicates_dropped");
        using var paymentDuplicates = MessagingProbes.Counter(_system.Payment.Services, "inbox.duplicates_dropped");
        using var tokenDuplicates = MessagingProbes.Counter(_system.Token.Services, "inbox.duplicates_dropped");

        // Through the transport seam the relay uses, so the same redelivery reaches the broker on every transport.
        var publisher = _system.Users.Services.GetRequiredService<ITransportPublisher>();
        var outgoing = new OutgoingMessage(messageId, MessageTypeNames.Of(typeof(UserCreated)),
            JsonSerializer.Serialize(created, MessageSerialization.Options), userId.ToString(), DateTimeOffset.UtcNow, null);
        await publisher.PublishAsync(outgoing, CancellationToken.None);
        await publisher.PublishAsync(outgoing, CancellationToken.None);

        await _system.AllReplicasReachAsync(userId, version: 1);
        foreach (var (name, duplicates) in new[] { ("concert", concertDuplicates), ("payment", paymentDuplicates), ("token", tokenDuplicates) })
        {
            await Eventually.Until(() => Task.FromResult(duplicates.Sum()), n => n >= 1, $"the {name} inbox to drop the second delivery");
        }

        Assert.Multiple(async () =>
        {
            Assert.That(await MessagingProbes.InboxEntriesAsync<ConcertDbContext>(_system.Concert.Services, messageId), Is.EqualTo(1));
            Assert.That(await MessagingProbes.InboxEntriesAsync<PaymentDbContext>(_system.Payment.Services, messageId), Is.EqualTo(1));
            Assert.That(await MessagingProbes.InboxEntriesAsync<TokenDbContext>(_system.Token.Services, messageId), Is.EqualTo(1));
            Assert.That(concertDuplicates.Sum() + paymentDuplicates.Sum() + tokenDuplicates.Sum(), Is.EqualTo(3));
        });
    }
}
