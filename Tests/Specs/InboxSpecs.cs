using System.Collections.Concurrent;
using ConcertBooking.Messaging.Inbox;
using ConcertBooking.Messaging.Outbox;
using ConcertBooking.Tests.Infrastructure;
using ConcertBooking.UserService.Data;
using MassTransit;
using Microsoft.EntityFrameworkCore;

namespace ConcertBooking.Tests.Specs;

/// <summary>
/// The inbox does not look a message up before its consumer runs: the entry goes in with the consumer's changes.
/// What a duplicate then does, on the test harness with a real PostgreSQL database.
/// </summary>
[TestFixture]
[Category(TestCategories.Specs)]
public sealed class InboxSpecs
{
    private ConsumerSpecHost<UserDbContext, PostgresUserDbContext> _host = null!;

    [OneTimeSetUp]
    public async Task Start() => _host = await ConsumerSpecHost<UserDbContext, PostgresUserDbContext>.StartAsync("inbox",
        bus => bus.AddConsumer<RecordVisitConsumer>());

    [OneTimeTearDown]
    public async Task Stop() => await _host.DisposeAsync();

    [Test]
    public async Task A_duplicate_runs_its_consumer_again_but_none_of_its_changes_commit()
    {
        var visit = new RecordVisit(Guid.CreateVersion7(), RefuseRepeats: false);
        var messageId = Guid.CreateVersion7();

        await _host.DeliverAsync(visit, messageId);
        await _host.RedeliverAsync(visit, messageId);

        Assert.Multiple(async () =>
        {
            Assert.That(RecordVisitConsumer.Runs[visit.VisitId], Is.EqualTo(2), "the consumer ran for the duplicate too");
            Assert.That(await RecordedAsync(visit.VisitId), Is.EqualTo(1), "the duplicate's outbox event rolled back");
            Assert.That(await _host.WithDbAsync(db => db.Set<InboxMessage>().CountAsync(m => m.MessageId == messageId)), Is.EqualTo(1));
        });
    }

    [Test]
    public async Task A_duplicate_whose_consumer_refuses_the_moved_on_state_is_acknowledged_not_retried()
    {
        var visit = new RecordVisit(Guid.CreateVersion7(), RefuseRepeats: true);
        var messageId = Guid.CreateVersion7();

        await _host.DeliverAsync(visit, messageId);
        await _host.RedeliverAsync(visit, messageId);

        // RedeliverAsync returned once the inbox counted the duplicate; had the exception escaped instead, the
        // spec host's one retry would have run the consumer a third time.
        Assert.Multiple(async () =>
        {
            Assert.That(RecordVisitConsumer.Runs[visit.VisitId], Is.EqualTo(2), "run once more, then acknowledged without a retry");
            Assert.That(await RecordedAsync(visit.VisitId), Is.EqualTo(1));
        });
    }

    private Task<int> RecordedAsync(Guid visitId) => _host.WithDbAsync(db => db.Set<OutboxMessage>()
        .CountAsync(m => m.PartitionKey == visitId.ToString()));
}

/// <param name="PoisonCancels">A poison visit fails as a call of the consumer's own that was cancelled or timed out (an
/// <see cref="OperationCanceledException"/> that is not the delivery's cancellation).</param>
public sealed record RecordVisit(Guid VisitId, bool RefuseRepeats, bool Poison = false, bool PoisonCancels = false);

public sealed record VisitRecorded(Guid VisitId);

/// <summary>
/// Stages an event per visit; when asked, refuses a visit it has already seen, as a consumer does whose precondition
/// moved on; a poison visit fails every time, after staging its event.
/// </summary>
public sealed class RecordVisitConsumer(IOutbox outbox) : IConsumer<RecordVisit>
{
    public static readonly ConcurrentDictionary<Guid, int> Runs = new();

    public Task Consume(ConsumeContext<RecordVisit> context)
    {
        var visit = context.Message;
        if (Runs.AddOrUpdate(visit.VisitId, 1, (_, runs) => runs + 1) > 1 && visit.RefuseRepeats)
        {
            throw new InvalidOperationException($"Visit {visit.VisitId} is already recorded.");
        }

        if (visit.Poison)
        {
            outbox.Add(new VisitRecorded(visit.VisitId), partitionKey: visit.VisitId.ToString());
            throw visit.PoisonCancels
                ? new TaskCanceledException($"A call recording visit {visit.VisitId} timed out.")
                : new InvalidOperationException($"Visit {visit.VisitId} cannot be recorded.");
        }

        outbox.Add(new VisitRecorded(visit.VisitId), partitionKey: visit.VisitId.ToString());
        return Task.CompletedTask;
    }
}
