using ConcertBooking.Messaging.Kafka;
using ConcertBooking.Tests.Infrastructure;
using Confluent.Kafka;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging.Abstractions;

namespace ConcertBooking.Tests.Unit;

/// <summary>
/// What a partition's worker does when handling fails outside any consumer (a fault of the transport: consumer
/// failures become dead letters before they reach it): it used to stop for good while /health stayed green.
/// </summary>
[TestFixture]
[Category(TestCategories.Unit)]
public sealed class PartitionWorkerTests
{
    private static readonly TopicPartition Partition = new("user.events", 0);

    [Test]
    public async Task A_failure_outside_the_consumers_shows_in_health_and_the_same_records_are_handled_again()
    {
        var state = new KafkaConsumerState();
        var health = new KafkaConsumerHealthCheck(state);
        var attempts = 0;
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var handled = new List<long>();
        using var concurrency = new SemaphoreSlim(1);
        using var worker = new PartitionWorker(Partition, async (records, done, _) =>
        {
            if (Interlocked.Increment(ref attempts) == 1)
            {
                throw new InvalidOperationException("Test fault: the transport failed.");
            }

            await release.Task;
            lock (handled)
            {
                handled.AddRange(records.Select(r => r.Offset.Value));
            }

            records.ToList().ForEach(done);
        }, concurrency, maxBatchSize: 10, state, NullLogger.Instance);

        worker.Enqueue(Record(0));
        await Eventually.Until(() => Task.FromResult(Volatile.Read(ref attempts)), a => a >= 2, "the record handled again after the failure");
        var whileFailing = await CheckAsync(health);
        release.SetResult();
        await Eventually.Until(() => Task.FromResult(worker.HandledUpTo), offset => offset == 1, "the record handled");
        worker.Enqueue(Record(1));
        await Eventually.Until(() => Task.FromResult(worker.HandledUpTo), offset => offset == 2, "the partition moving on");

        Assert.Multiple(async () =>
        {
            Assert.That(whileFailing.Status, Is.EqualTo(HealthStatus.Unhealthy));
            Assert.That(whileFailing.Description, Does.Contain("user.events [[0]]").And.Contain("Test fault"), "names the partition and the failure");
            Assert.That((await CheckAsync(health)).Status, Is.EqualTo(HealthStatus.Healthy), "healthy again once the records went through");
            Assert.That(handled, Is.EqualTo(new long[] { 0, 1 }), "in order, each once");
        });
    }

    [Test]
    public async Task A_revoked_partition_that_kept_failing_is_no_longer_reported()
    {
        var state = new KafkaConsumerState();
        using var concurrency = new SemaphoreSlim(1);
        var worker = new PartitionWorker(Partition, (_, _, _) => throw new InvalidOperationException("Test fault: the transport failed."),
            concurrency, maxBatchSize: 10, state, NullLogger.Instance);
        worker.Enqueue(Record(0));
        await Eventually.Until(() => Task.FromResult(state.FailingPartitions.Count), count => count == 1, "the partition reported failing");

        // The grace period is for a record in flight, not for a back-off: a revoke must not wait it out (it holds up the
        // poll thread, so every partition of this member).
        await worker.StopAsync(TimeSpan.FromHours(1)).WaitAsync(Eventually.DefaultTimeout);
        worker.Dispose();

        Assert.Multiple(() =>
        {
            Assert.That(state.FailingPartitions, Is.Empty);
            Assert.That(worker.HandledUpTo, Is.EqualTo(-1), "nothing handled, so nothing to commit");
        });
    }

    [Test]
    public async Task After_a_failure_only_what_was_not_handled_yet_is_handled_again()
    {
        var state = new KafkaConsumerState();
        using var concurrency = new SemaphoreSlim(1);
        var holding = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var batches = new List<long[]>();
        using var worker = new PartitionWorker(Partition, async (records, done, _) =>
        {
            lock (batches)
            {
                batches.Add([.. records.Select(r => r.Offset.Value)]);
            }

            if (records[0].Offset.Value == 0)
            {
                await holding.Task; // the next two records line up behind this one, to be taken as one batch
            }

            done(records[0]);
            if (records.Count > 1)
            {
                throw new InvalidOperationException("Test fault: the transport failed after the batch's first record.");
            }
        }, concurrency, maxBatchSize: 10, state, NullLogger.Instance);

        worker.Enqueue(Record(0));
        await Eventually.Until(() => Task.FromResult(worker.Buffered), buffered => buffered == 0, "the first record taken");
        worker.Enqueue(Record(1));
        worker.Enqueue(Record(2));
        holding.SetResult();
        await Eventually.Until(() => Task.FromResult(worker.HandledUpTo), offset => offset == 3, "every record handled");

        Assert.That(batches, Is.EqualTo(new[] { new long[] { 0 }, [1, 2], [2] }), "the retry is the record the failed attempt left");
    }

    private static ConsumeResult<string?, byte[]> Record(long offset) => new()
    {
        TopicPartitionOffset = new TopicPartitionOffset(Partition, new Offset(offset)),
        Message = new Message<string?, byte[]> { Key = "key", Value = [], Headers = [] },
    };

    private static Task<HealthCheckResult> CheckAsync(KafkaConsumerHealthCheck health) =>
        health.CheckHealthAsync(new HealthCheckContext
        {
            Registration = new HealthCheckRegistration("kafka-consumer", health, HealthStatus.Unhealthy, null),
        });
}
