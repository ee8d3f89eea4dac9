namespace ConcertBooking.Messaging.Publishing;

/// <summary>
/// Thrown by a transport when the broker answered and refused this message, or the message cannot be sent at all: no
/// queue is bound to receive it, its topic does not exist and cannot be created, its type is unknown to this build.
/// Retrying the same message succeeds only after something changes, so the relay parks it after
/// <c>Messaging:Outbox:MaxAttempts</c> failures. Any other exception means "not confirmed" (the broker is unreachable or
/// slow): the relay retries that without limit, since the outbox exists to ride out broker outages.
/// </summary>
public sealed class PublishRefusedException(string message, Exception? inner = null) : Exception(message, inner);
