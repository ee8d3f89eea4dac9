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

    /// <summary>Retries of a failure that looks permanent (a bug, a bad message) before the error queue.</summary>
    [Range(0, 100)]
    public int RetryLimit { get; set; } = 3;

    /// <summary>Retries of a transient failure (database or network down) before the error queue.</summary>
    [Range(0, 1000)]
    public int TransientRetryLimit { get; set; } = 30;

    [Range(typeof(TimeSpan), "00:00:00.001", "01:00:00")]
    public TimeSpan TransientRetryMaxDelay { get; set; } = TimeSpan.FromSeconds(10);
}
