using ConcertBooking.Messaging.Inbox;
using ConcertBooking.Messaging.Outbox;
using ConcertBooking.Tests.Infrastructure;
using ConcertBooking.UserService.Data;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace ConcertBooking.Tests.Specs;

/// <summary>
/// Group commit on the test harness with a real PostgreSQL database: deliveries that arrive while the consumer's
/// transaction runs are handled together in the next one, each with its own inbox entry. One transaction at a time
/// here, and the first delivery held inside it by a gate, so the batch behind it is lined up deterministically.
/// </summary>
[TestFixture]
[Category(TestCategories.Specs)]
public sealed class InboxBatchSpecs
{
    private const string Consumer = nameof(RecordVisitConsumer);

    [Test]
    public async Task Deliveries_that_arrive_during_a_transaction_commit_together_and_a_duplicate_among_them_is_skipped()
    {
        var gate = new ConsumerGate(Consumer);
        await using var host = await StartAsync("batch-duplicate", gate);
        using var batchSizes = MessagingProbes.Counter(host.Services, "inbox.batch.size");
        using var duplicates = MessagingProbes.Counter(host.Services, "inbox.duplicates_dropped");

        var first = await HoldFirstAsync(host, gate);
        var visits = Enumerable.Range(0, 4).Select(_ => new RecordVisit(Guid.CreateVersion7(), RefuseRepeats: false)).ToList();
        var ids = visits.Select(_ => Guid.CreateVersion7()).ToList();
        foreach (var (visit, id) in visits.Zip(ids))
        {
            await host.Harness.Bus.Publish(visit, context => context.MessageId = id);
        }

        await host.Harness.Bus.Publish(visits[1], context => context.MessageId = ids[1]); // the same delivery twice
        await WaitingAsync(host, 5);
        gate.Open();

        await Eventually.Until(async () => await RecordedAsync(host) == 5 && duplicates.Sum() == 1, "the first and four visits recorded, the duplicate dropped");
        Assert.Multiple(async () =>
        {
            Assert.That(batchSizes.GetMeasurementSnapshot().Select(m => m.Value).Order(), Is.EqualTo(new long[] { 1, 4 }),
                "the first alone, then the four distinct deliveries waiting behind it in one transaction");
            Assert.That(RecordVisitConsumer.Runs[visits[1].VisitId], Is.EqualTo(1), "the duplicate in the batch never reached the consumer");
            Assert.That(await host.WithDbAsync(db => db.Set<InboxMessage>().CountAsync(m => ids.Contains(m.MessageId) || m.MessageId == first)), Is.EqualTo(5));
        });
    }

    /// <summary>
    /// A consumer's own cancelled call (an HTTP client's time-out throws <see cref="TaskCanceledException"/>) is a failure
    /// like any other, not the delivery being cancelled: it must not take the batch's other deliveries down with it.
    /// </summary>
    [TestCase(false, TestName = "A_poison_delivery_in_a_batch_is_isolated_the_others_commit_once_and_it_alone_faults")]
    [TestCase(true, TestName = "A_poison_delivery_in_a_batch_is_isolated_the_others_commit_once_and_it_alone_faults (its own call cancelled)")]
    public async Task A_poison_delivery_in_a_batch_is_isolated_the_others_commit_once_and_it_alone_faults(bool poisonCancels)
    {
        var gate = new ConsumerGate(Consumer);
        await using var host = await StartAsync(poisonCancels ? "batch-poison-cancels" : "batch-poison", gate);
        using var retriedAlone = MessagingProbes.Counter(host.Services, "inbox.batch.retried_alone");

        await HoldFirstAsync(host, gate);
        var good = new[] { new RecordVisit(Guid.CreateVersion7(), RefuseRepeats: false), new RecordVisit(Guid.CreateVersion7(), RefuseRepeats: false) };
        var poison = new RecordVisit(Guid.CreateVersion7(), RefuseRepeats: false, Poison: true, PoisonCancels: poisonCancels);
        var poisonId = Guid.CreateVersion7();
        await host.Harness.Bus.Publish(good[0]);
        await host.Harness.Bus.Publish(poison, context => context.MessageId = poisonId);
        await host.Harness.Bus.Publish(good[1]);
        await WaitingAsync(host, 3);
        gate.Open();

        Assert.That(await host.Harness.Published.Any<Fault<RecordVisit>>(m => m.Context.Message.FaultedMessageId == poisonId),
            Is.True, "the poison delivery faulted after its retries, alone");
        await Eventually.Until(async () => await RecordedAsync(host) == 3, "the first and both good visits recorded");
        Assert.Multiple(async () =>
        {
            Assert.That(retriedAlone.Sum(), Is.EqualTo(1), "the batch rolled back once and its deliveries ran one by one");
            foreach (var visit in good)
            {
                Assert.That(await RecordedOfAsync(host, visit.VisitId), Is.EqualTo(1), "committed once, though its consumer ran in the batch too");
            }

            Assert.That(await RecordedOfAsync(host, poison.VisitId), Is.Zero);
            Assert.That(await host.WithDbAsync(db => db.Set<InboxMessage>().CountAsync(m => m.MessageId == poisonId)), Is.Zero);
        });
    }

    [Test]
    public async Task A_lone_delivery_never_waits_for_company_however_long_a_batch_may_wait_to_fill()
    {
        // A batch with company waits BatchFillWait on this clock, whose timers never fire: a lone delivery that waited
        // too would never be handled, and DeliverAsync would give up after the harness's inactivity timeout.
        await using var host = await StartAsync("batch-lone", gate: null, fillWait: TimeSpan.FromSeconds(1), new StoppedClock());
        using var batchSizes = MessagingProbes.Counter(host.Services, "inbox.batch.size");

        await host.DeliverAsync(new RecordVisit(Guid.CreateVersion7(), RefuseRepeats: false));
        await host.DeliverAsync(new RecordVisit(Guid.CreateVersion7(), RefuseRepeats: false));

        Assert.That(batchSizes.GetMeasurementSnapshot().Select(m => m.Value), Is.EqualTo(new long[] { 1, 1 }));
    }

    [Test]
    public async Task A_pooled_context_lent_to_a_batch_goes_back_to_the_pool_with_a_connection_of_its_own()
    {
        var connectionString = PostgresDatabases.ConnectionString(PostgresDatabases.NewName("batch-pool"));
        await using var services = new ServiceCollection()
            .AddDbContextPool<UserDbContext, PostgresUserDbContext>(db => db.UseNpgsql(connectionString), poolSize: 2)
            .BuildServiceProvider();
        await using (var scope = services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<UserDbContext>().Database.MigrateAsync();
        }

        var messageId = Guid.CreateVersion7();
        System.Data.Common.DbConnection batchConnection;
        await using (var ownerScope = services.CreateAsyncScope())
        await using (var joinedScope = services.CreateAsyncScope())
        {
            var owner = ownerScope.ServiceProvider.GetRequiredService<UserDbContext>();
            await using var transaction = await owner.Database.BeginTransactionAsync();
            batchConnection = owner.Database.GetDbConnection();
            var batch = new InboxBatch(batchConnection, transaction.GetDbTransaction());
            var joined = joinedScope.ServiceProvider.GetRequiredService<UserDbContext>();
            await batch.EnlistAsync(joined, CancellationToken.None);
            joined.Set<InboxMessage>().Add(new InboxMessage { MessageId = messageId, Consumer = "pool", ReceivedAt = DateTimeOffset.UtcNow });
            await joined.SaveChangesAsync();
            await batch.ReleaseAsync(joined);
            await transaction.CommitAsync();
        }

        // Both contexts are back in the pool: rent both. The owner keeps its own connection object, as a pooled context
        // does; the one that joined must not have kept it, and each works.
        await using var first = services.CreateAsyncScope();
        await using var second = services.CreateAsyncScope();
        var rented = new[] { first, second }.Select(s => s.ServiceProvider.GetRequiredService<UserDbContext>()).ToList();
        Assert.That(rented.Count(db => ReferenceEquals(db.Database.GetDbConnection(), batchConnection)), Is.EqualTo(1),
            "only the batch's owner holds the batch's connection");
        await Task.WhenAll(rented.Select(async db =>
            Assert.That(await db.Set<InboxMessage>().CountAsync(m => m.MessageId == messageId), Is.EqualTo(1), "committed through the batch")));
    }

    private static async Task<ConsumerSpecHost<UserDbContext, PostgresUserDbContext>> StartAsync(
        string name, ConsumerGate? gate, TimeSpan? fillWait = null, TimeProvider? clock = null) =>
        await ConsumerSpecHost<UserDbContext, PostgresUserDbContext>.StartAsync(name, bus =>
        {
            bus.AddConsumer<RecordVisitConsumer>();
            if (gate is not null)
            {
                bus.AddSingleton<IInterceptor>(gate);
            }

            if (clock is not null)
            {
                bus.Replace(ServiceDescriptor.Singleton(clock));
            }
        }, new ConsumerOptions
        {
            RetryLimit = 1, TransientRetryLimit = 1, TransientRetryMaxDelay = TimeSpan.FromMilliseconds(200),
            MaxBatchSize = 32, ConcurrentBatches = 1, BatchFillWait = fillWait ?? TimeSpan.Zero,
        });

    /// <summary>Delivers a first visit and holds it inside its transaction, the only one this consumer may run.</summary>
    private static async Task<Guid> HoldFirstAsync(ConsumerSpecHost<UserDbContext, PostgresUserDbContext> host, ConsumerGate gate)
    {
        var id = Guid.CreateVersion7();
        gate.Arm();
        await host.Harness.Bus.Publish(new RecordVisit(Guid.CreateVersion7(), RefuseRepeats: false), context => context.MessageId = id);
        await gate.Reached.WaitAsync(Eventually.DefaultTimeout);
        return id;
    }

    private static Task WaitingAsync(ConsumerSpecHost<UserDbContext, PostgresUserDbContext> host, int count) =>
        Eventually.Until(() => Task.FromResult(host.Services.GetRequiredService<InboxGroupCommits>().Waiting(Consumer) == count),
            $"{count} deliveries waiting for the next transaction");

    private static Task<int> RecordedAsync(ConsumerSpecHost<UserDbContext, PostgresUserDbContext> host) =>
        host.WithDbAsync(db => db.Set<OutboxMessage>().CountAsync(m => m.MessageType.StartsWith(typeof(VisitRecorded).FullName + ",")));

    private static Task<int> RecordedOfAsync(ConsumerSpecHost<UserDbContext, PostgresUserDbContext> host, Guid visitId) =>
        host.WithDbAsync(db => db.Set<OutboxMessage>().CountAsync(m => m.PartitionKey == visitId.ToString()));

    private sealed class StoppedClock : TimeProvider
    {
        public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period) => new NeverFires();

        private sealed class NeverFires : ITimer
        {
            public bool Change(TimeSpan dueTime, TimeSpan period) => true;

            public void Dispose()
            {
            }

            public ValueTask DisposeAsync() => ValueTask.CompletedTask;
        }
    }
}
