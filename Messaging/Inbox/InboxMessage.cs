namespace ConcertBooking.Messaging.Inbox;

/// <summary>
/// Proof that <see cref="Consumer"/> has handled <see cref="MessageId"/>: written in the consumer's own
/// transaction, so a redelivery finds it and has no second effect.
/// </summary>
public sealed class InboxMessage
{
    public Guid MessageId { get; set; }

    public required string Consumer { get; set; }

    public DateTimeOffset ReceivedAt { get; set; }
}
