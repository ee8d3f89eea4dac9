using ConcertBooking.ConcertService.Data;
using ConcertBooking.Contracts;
using ConcertBooking.Messaging;
using ConcertBooking.Messaging.Inbox;
using ConcertBooking.Tests.Infrastructure;
using ConcertBooking.UserReplica;
using MassTransit;
using MassTransit.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ConcertBooking.Tests.Specs;

/// <summary>
/// The replica consumers on MassTransit's test harness (in-memory transport) with the real inbox on a real
/// PostgreSQL database: what each event does to the replica, in any order, any number of times.
/// </summary>
[TestFixture]
[Category("Specs")]
public sealed class UserProjectionSpecs
{
    private string _connectionString = null!;
    private ServiceProvider _provider = null!;
    private ITestHarness _harness = null!;

    [OneTimeSetUp]
    public async Task CreateDatabase()
    {
        _connectionString = PostgresDatabases.ConnectionString(PostgresDatabases.NewName("specs"));
        await using var provider = BuildProvider();
        await using var scope = provider.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<ConcertDbContext>().Database.MigrateAsync();
    }

    [SetUp]
    public async Task StartHarness()
    {
        _provider = BuildProvider();
        _harness = _provider.GetRequiredService<ITestHarness>();
        await _harness.Start();
    }

    [TearDown]
    public async Task StopHarness() => await _provider.DisposeAsync();

    [Test]
    public async Task UserCreated_adds_the_user_at_its_version()
    {
        var created = Created(Guid.CreateVersion7(), "Ada", version: 1);

        await DeliverAsync(created);

        var user = await ReplicaAsync(created.UserId);
        Assert.That(user, Is.Not.Null);
        Assert.Multiple(() =>
        {
            Assert.That(user!.Name, Is.EqualTo("Ada"));
            Assert.That(user.Email, Is.EqualTo(created.Email));
            Assert.That(user.Version, Is.EqualTo(1));
            Assert.That(user.IsDeleted, Is.False);
            Assert.That(user.ChangedAt, Is.EqualTo(created.OccurredAt).Within(TimeSpan.FromMilliseconds(1)));
        });
    }

    [Test]
    public async Task UserUpdated_with_a_newer_version_replaces_name_and_email()
    {
        var id = Guid.CreateVersion7();
        await DeliverAsync(Created(id, "Grace", 1));

        await DeliverAsync(new UserUpdated(id, "Grace Hopper", "grace@navy.example", 2, DateTimeOffset.UtcNow));

        var user = await ReplicaAsync(id);
        Assert.That((user!.Name, user.Email, user.Version), Is.EqualTo(("Grace Hopper", "grace@navy.example", 2L)));
    }

    [Test]
    public async Task UserDeleted_leaves_a_tombstone_that_an_older_update_cannot_revive()
    {
        var id = Guid.CreateVersion7();
        await DeliverAsync(Created(id, "Temp", 1));
        await DeliverAsync(new UserDeleted(id, "Temp", "temp@example.com", 3, DateTimeOffset.UtcNow));

        await DeliverAsync(new UserUpdated(id, "Zombie", "zombie@example.com", 2, DateTimeOffset.UtcNow));

        var user = await ReplicaAsync(id);
        Assert.That((user!.IsDeleted, user.Version, user.Name), Is.EqualTo((true, 3L, "Temp")));
    }

    [Test]
    public async Task A_stale_version_is_ignored_even_when_it_arrives_after_a_newer_one()
    {
        var id = Guid.CreateVersion7();
        await DeliverAsync(new UserUpdated(id, "Newer", "newer@example.com", 2, DateTimeOffset.UtcNow));

        await DeliverAsync(Created(id, "Older", 1));

        var user = await ReplicaAsync(id);
        Assert.That((user!.Name, user.Version), Is.EqualTo(("Newer", 2L)), "the update that overtook the create wins");
    }

    [Test]
    public async Task The_same_MessageId_twice_has_one_effect_and_one_inbox_entry()
    {
        var id = Guid.CreateVersion7();
        var messageId = Guid.CreateVersion7();
        using var duplicates = MessagingProbes.Counter(_provider, "inbox.duplicates_dropped");

        await DeliverAsync(Created(id, "Once", 1), messageId);
        // The harness lists a message id once, so the redelivery is observed where it ends: at the inbox.
        await _harness.Bus.Publish(Created(id, "Once", 1), context => context.MessageId = messageId);
        await Eventually.Until(() => Task.FromResult(duplicates.Sum()), n => n > 0, "the inbox to see the redelivery");

        Assert.Multiple(async () =>
        {
            Assert.That(duplicates.Sum(), Is.EqualTo(1), "the second delivery was dropped by the inbox");
            Assert.That(await InboxEntriesAsync(messageId), Is.EqualTo(1));
            Assert.That((await ReplicaAsync(id))!.Version, Is.EqualTo(1));
        });
    }

    private static UserCreated Created(Guid id, string name, long version) =>
        new(id, name, $"{name.ToLowerInvariant()}.{id:N}@example.com", version, DateTimeOffset.UtcNow);

    /// <summary>Publishes and waits until the consumer has finished with this very message (inbox committed).</summary>
    private async Task DeliverAsync<T>(T message, Guid? messageId = null) where T : class
    {
        var id = messageId ?? Guid.CreateVersion7();
        var before = await _harness.Consumed.SelectAsync<T>(m => m.Context.MessageId == id).Count();
        await _harness.Bus.Publish(message, context => context.MessageId = id);
        await Eventually.Until(
            () => _harness.Consumed.SelectAsync<T>(m => m.Context.MessageId == id).Count(),
            n => n > before, $"{typeof(T).Name} {id} to be consumed");
        var consumed = await _harness.Consumed.SelectAsync<T>(m => m.Context.MessageId == id).First();
        Assert.That(consumed.Exception, Is.Null, consumed.Exception?.ToString());
    }

    private async Task<ReplicatedUser?> ReplicaAsync(Guid id)
    {
        await using var scope = _provider.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<IUserReplicaStore>().Users.AsNoTracking()
            .FirstOrDefaultAsync(u => u.Id == id);
    }

    private async Task<int> InboxEntriesAsync(Guid messageId)
    {
        await using var scope = _provider.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<ConcertDbContext>().Set<InboxMessage>()
            .CountAsync(m => m.MessageId == messageId);
    }

    private ServiceProvider BuildProvider()
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddMetrics();
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<MessagingMetrics>();
        services.AddDbContext<ConcertDbContext, PostgresConcertDbContext>(db => db.UseNpgsql(_connectionString));
        services.AddScoped<IUserReplicaStore>(sp => sp.GetRequiredService<ConcertDbContext>());
        services.AddScoped<UserProjection>();
        services.AddMassTransitTestHarness(bus =>
        {
            bus.AddUserReplicaConsumers();
            bus.AddInboxAndRetries<ConcertDbContext>(new ConsumerOptions { RetryLimit = 0, TransientRetryLimit = 0 });
        });
        return services.BuildServiceProvider();
    }
}
