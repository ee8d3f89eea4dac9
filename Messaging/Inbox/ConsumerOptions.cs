using System.ComponentModel.DataAnnotations;

namespace ConcertBooking.Messaging.Inbox;

/// <summary>Bound from <c>Messaging:Consumers</c>: how every consumer runs, on every transport.</summary>
public sealed class ConsumerOptions
{
    /// <summary>Messages each receive endpoint takes from the broker at once; they wait for <see cref="MaxConcurrentHandlers"/>.</summary>
    [Range(1, 1000)]
    public int ConcurrentMessageLimit { get; set; } = 16;

    /// <summary>
    /// Consumers running their transaction at once in this process, across every endpoint (and Kafka's partitions): each
    /// holds a database connection, so this must stay below the connection pool, which the service checks at start.
    /// Unset: half the pool.
    /// </summary>
    [Range(1, 10_000)]
    public int? MaxConcurrentHandlers { get; set; }

    /// <summary>
    /// Deliveries handled in one database transaction, each with its own inbox entry. A batch forms only from deliveries
    /// that are already waiting (on RabbitMQ while an earlier transaction of the same consumer runs; on Kafka the
    /// records a partition has buffered), so a lone message never waits for company. 1 turns batching off.
    /// </summary>
    [Range(1, 1000)]
    public int MaxBatchSize { get; set; } = 32;

    /// <summary>
    /// How long a RabbitMQ batch that already has company waits for more before it runs; zero runs it at once. Never
    /// applies to a lone message, nor to Kafka, whose partition buffer fills by itself while the previous batch runs.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:00:01")]
    public TimeSpan BatchFillWait { get; set; } = TimeSpan.Zero;

    /// <summary>Transactions one consumer of one RabbitMQ endpoint runs at once; deliveries arriving meanwhile form the next batch.</summary>
    [Range(1, 100)]
    public int ConcurrentBatches { get; set; } = 2;

    /// <summary>Retries of a failure that looks permanent (a bug, a bad message) before the error queue.</summary>
    [Range(0, 100)]
    public int RetryLimit { get; set; } = 3;

    /// <summary>
    /// Retries of a transient failure (database or network down) before the error queue. Consumers marked
    /// <see cref="UnboundedTransientRetryAttribute"/> (where money or seats are at stake) have no such limit.
    /// </summary>
    [Range(0, 1000)]
    public int TransientRetryLimit { get; set; } = 30;

    /// <summary>The longest wait between two retries of a transient failure: the back-off doubles up to it, then stays.</summary>
    [Range(typeof(TimeSpan), "00:00:00.001", "01:00:00")]
    public TimeSpan TransientRetryMaxDelay { get; set; } = TimeSpan.FromSeconds(10);
}
