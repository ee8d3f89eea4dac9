using System.ComponentModel.DataAnnotations;

namespace ConcertBooking.ServiceDefaults;

/// <summary>
/// Bound from <c>Http</c>: what a request may be at most. The APIs take bodies of a few hundred bytes; anything much
/// larger is a mistake or an attack, and is refused before any of it is parsed.
/// </summary>
public sealed class HttpLimitsOptions
{
    public const string SectionName = "Http";

    /// <summary>The largest request body, in bytes, whether its length is declared or it comes chunked: 413 above it.</summary>
    [Range(1024, 10 * 1024 * 1024)]
    public long MaxRequestBodyBytes { get; set; } = 8 * 1024;

    /// <summary>How deeply a JSON body may nest objects and arrays: 400 deeper.</summary>
    [Range(2, 64)]
    public int MaxJsonDepth { get; set; } = 16;

    /// <summary>
    /// How many of the crowd's actions (the rate-limited endpoints: sign-up, sign-in, queue entry, hold, payment) one
    /// instance runs at once; the rest wait their turn in memory, oldest first. Each holds a database connection, and
    /// without a bound a crowd takes the whole pool, so the relay and the consumers, which finish what the crowd
    /// started, queue behind it. Unset, the actions' share of the pool (<see cref="Configuration.ConnectionPool"/>:
    /// half of it less two connections, 8 of a 20-connection pool); set, it and the consumers' bound together must leave
    /// the relay a connection, or the service does not start.
    /// </summary>
    [Range(1, 10_000)]
    public int? MaxConcurrentActions { get; set; }

    /// <summary>How many actions may wait for one of those turns; beyond it a request is refused with 429 and <c>Retry-After</c>.</summary>
    [Range(0, 1_000_000)]
    public int MaxQueuedActions { get; set; } = 10_000;
}
