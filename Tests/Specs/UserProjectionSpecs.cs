using ConcertBooking.ConcertService.Data;
using ConcertBooking.Contracts;
using ConcertBooking.Messaging.Inbox;
using ConcertBooking.Tests.Infrastructure;
using ConcertBooking.UserReplica;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ConcertBooking.Tests.Specs;

/// <summary>
/// The replica consumers on MassTransit's test harness (in-memory transport) with the real inbox on a real
/// PostgreSQL database: what each event does to the replica, in any order, any number of times.
/// </summary>
[TestFixture]
[Category(TestCategories.Specs)]
public sealed class UserProjectionSpecs
{
    private ConsumerSpecHost<ConcertDbContext, PostgresConcertDbContext> _host = null!;

    [OneTimeSetUp]
    public async Task Start() => _host = await ConsumerSpecHost<ConcertDbContext, PostgresConcertDbContext>.StartAsync("specs", bus =>
    {
        bus.AddScoped<IUserReplicaStore>(sp => sp.GetRequiredService<ConcertDbContext>());
        bus.AddScoped<UserProjection>();
        bus.AddSingleton<ReplicationMetrics>();
        bus.AddUserReplicaConsumers();
    });

    [OneTimeTearDown]
    public async Task Stop() => await _host.DisposeAsync();

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
    public async Task UserDeleted_leaves_a_tombstone_without_name_or_email_that_an_older_update_cannot_revive()
    {
        var id = Guid.CreateVersion7();
        await DeliverAsync(Created(id, "Temp", 1));
        await DeliverAsync(new UserDeleted(id, 3, DateTimeOffset.UtcNow));

        await DeliverAsync(new UserUpdated(id, "Zombie", "zombie@example.com", 2, DateTimeOffset.UtcNow));

        var user = await ReplicaAsync(id);
        Assert.That((user!.IsDeleted, user.Version, user.Name, user.Email), Is.EqualTo((true, 3L, (string?)null, (string?)null)));
    }

    [Test]
    public async Task A_UserDeleted_that_overtakes_the_create_leaves_the_same_empty_tombstone()
    {
        var id = Guid.CreateVersion7();
        await DeliverAsync(new UserDeleted(id, 2, DateTimeOffset.UtcNow));

        await DeliverAsync(Created(id, "Late", 1));

        var user = await ReplicaAsync(id);
        Assert.That((user!.IsDeleted, user.Version, user.Name, user.Email), Is.EqualTo((true, 2L, (string?)null, (string?)null)));
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
        using var duplicates = MessagingProbes.Counter(_host.Services, "inbox.duplicates_dropped");

        await DeliverAsync(Created(id, "Once", 1), messageId);
        // Returns once the inbox has dropped the second delivery as a duplicate.
        await _host.RedeliverAsync(Created(id, "Once", 1), messageId);

        Assert.Multiple(async () =>
        {
            Assert.That(duplicates.Sum(), Is.EqualTo(1), "the second delivery was dropped by the inbox");
            Assert.That(await InboxEntriesAsync(messageId), Is.EqualTo(1));
            Assert.That((await ReplicaAsync(id))!.Version, Is.EqualTo(1));
        });
    }

    private static UserCreated Created(Guid id, string name, long version) =>
        new(id, name, $"{name.ToLowerInvariant()}.{id:N}@example.com", version, DateTimeOffset.UtcNow);

    private Task DeliverAsync<T>(T message, Guid? messageId = null) where T : class => _host.DeliverAsync(message, messageId);

    private Task<ReplicatedUser?> ReplicaAsync(Guid id) =>
        _host.WithScopeAsync(services => services.GetRequiredService<IUserReplicaStore>().Users.AsNoTracking()
            .FirstOrDefaultAsync(u => u.Id == id));

    private Task<int> InboxEntriesAsync(Guid messageId) =>
        _host.WithDbAsync(db => db.Set<InboxMessage>().CountAsync(m => m.MessageId == messageId));
}
