namespace ConcertBooking.Messaging.Outbox;

/// <summary>
/// An event written in the same transaction as the business change that caused it. The relay publishes it
/// after commit; <see cref="Sequence"/> is the order of writing, which the relay keeps per <see cref="PartitionKey"/>.
/// </summary>
public sealed class OutboxMessage
{
    public const int DiscardReasonMaxLength = 500;

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

    /// <summary>
    /// When a failed row may be tried again, by the clock of the relay that failed it. Null for a row never tried: it is
    /// due at once, so a writer whose clock runs ahead of the relay's does not hold its own events back.
    /// </summary>
    public DateTimeOffset? NextAttemptAt { get; set; }

    public string? LastError { get; set; }

    /// <summary>
    /// When the row left the outbox: the broker confirmed it, or an operator discarded it (then <see cref="DiscardedAt"/>
    /// is set too). Until then it holds back the later rows of its key.
    /// </summary>
    public DateTimeOffset? DispatchedAt { get; set; }

    /// <summary>
    /// Set when the broker refused the row <c>Messaging:Outbox:MaxAttempts</c> times: the relay stops trying it, and it
    /// still holds back the later rows of its key until an operator retries or discards it. Kept after a discard.
    /// </summary>
    public DateTimeOffset? ParkedAt { get; set; }

    /// <summary>Set when an operator discarded the parked row; with <see cref="DiscardReason"/>, its audit trail.</summary>
    public DateTimeOffset? DiscardedAt { get; set; }

    public string? DiscardReason { get; set; }
}
