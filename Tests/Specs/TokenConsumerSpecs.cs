using ConcertBooking.Contracts;
using ConcertBooking.Tests.Infrastructure;
using ConcertBooking.TokenService.Data;
using ConcertBooking.TokenService.Queue;
using Microsoft.EntityFrameworkCore;

namespace ConcertBooking.Tests.Specs;

/// <summary>
/// TokenService's own consumers on MassTransit's test harness with the real inbox on a real PostgreSQL database: the
/// concert replica converges like the user replica, and a deleted user's queue tokens go.
/// </summary>
[TestFixture]
[Category(TestCategories.Specs)]
public sealed class TokenConsumerSpecs
{
    private ConsumerSpecHost<TokenDbContext, PostgresTokenDbContext> _host = null!;

    [OneTimeSetUp]
    public async Task Start() =>
        _host = await ConsumerSpecHost<TokenDbContext, PostgresTokenDbContext>.StartAsync("tokenspecs", bus => bus.AddQueueConsumers());

    [OneTimeTearDown]
    public async Task Stop() => await _host.DisposeAsync();

    [Test]
    public async Task ConcertScheduled_adds_the_concert_at_its_version()
    {
        var scheduled = Scheduled(Guid.NewGuid(), version: 1, startsAt: new DateTimeOffset(2031, 5, 1, 20, 0, 0, TimeSpan.Zero));

        await _host.DeliverAsync(scheduled);

        var concert = await ConcertAsync(scheduled.ConcertId);
        Assert.That((concert!.StartsAt, concert.Version), Is.EqualTo((scheduled.StartsAt, 1L)));
    }

    [Test]
    public async Task An_announcement_at_the_same_or_an_older_version_changes_nothing_and_a_newer_one_replaces()
    {
        var id = Guid.NewGuid();
        var first = Scheduled(id, version: 2, startsAt: new DateTimeOffset(2031, 6, 1, 20, 0, 0, TimeSpan.Zero));
        await _host.DeliverAsync(first);

        await _host.DeliverAsync(first with { StartsAt = first.StartsAt.AddDays(1), OccurredAt = DateTimeOffset.UtcNow });
        await _host.DeliverAsync(first with { Version = 1, StartsAt = first.StartsAt.AddDays(2) });
        Assert.That((await ConcertAsync(id))!.StartsAt, Is.EqualTo(first.StartsAt), "same or older version: ignored");

        await _host.DeliverAsync(first with { Version = 3, StartsAt = first.StartsAt.AddDays(3) });
        Assert.That(((await ConcertAsync(id))!.StartsAt, (await ConcertAsync(id))!.Version), Is.EqualTo((first.StartsAt.AddDays(3), 3L)));
    }

    [Test]
    public async Task UserDeleted_removes_that_user_s_queue_tokens_and_no_one_else_s()
    {
        var (gone, stays) = (Guid.CreateVersion7(), Guid.CreateVersion7());
        var now = DateTimeOffset.UtcNow;
        await _host.WithDbAsync(db =>
        {
            db.QueueTokens.AddRange(QueueToken.Enter(Guid.NewGuid(), gone, now), QueueToken.Enter(Guid.NewGuid(), gone, now),
                QueueToken.Enter(Guid.NewGuid(), stays, now));
            return db.SaveChangesAsync();
        });

        await _host.DeliverAsync(new UserDeleted(gone, 2, now));

        Assert.That(await _host.WithDbAsync(db => db.QueueTokens.CountAsync(t => t.UserId == gone)), Is.Zero);
        Assert.That(await _host.WithDbAsync(db => db.QueueTokens.CountAsync(t => t.UserId == stays)), Is.EqualTo(1));
    }

    private static ConcertScheduled Scheduled(Guid id, long version, DateTimeOffset startsAt) =>
        new(id, "Spec concert", "Spec hall", startsAt, version, DateTimeOffset.UtcNow);

    private Task<TokenService.Concerts.ReplicatedConcert?> ConcertAsync(Guid id) =>
        _host.WithDbAsync(db => db.Concerts.AsNoTracking().FirstOrDefaultAsync(c => c.Id == id));
}
