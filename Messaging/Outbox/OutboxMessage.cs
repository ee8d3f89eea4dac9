namespace ConcertBooking.Messaging.Outbox;

/// <summary>
/// An event written in the same transaction as the business change that caused it. The relay publishes it
/// after commit; <see cref="Sequence"/> is the order of writing, which the relay keeps per <see cref="PartitionKey"/>.
/// </summary>
public sealed class OutboxMessage
{
    public long Sequence { get; set; }

    public Guid MessageId { get; set; }

    /// <summary>The CLR type, as "Namespace.Type, Assembly", so a relay in a fresh process can rebuild the message.</summary>
    public required string MessageType { get; set; }

    public required string Body { get; set; }

    /// <summary>The aggregate the event belongs to: order is kept among events with the same key.</summary>
    public required string PartitionKey { get; set; }

    /// <summary>W3C traceparent of the request that wrote the event, so the trace continues in consumers.</summary>
    public string? TraceParent { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public int Attempts { get; set; }

    public DateTimeOffset NextAttemptAt { get; set; }

    public string? LastError { get; set; }

    public DateTimeOffset? DispatchedAt { get; set; }
}
