namespace ConcertBooking.Messaging.Operations;

/// <summary>A message that kept failing and was set aside with the reason, waiting for an operator.</summary>
public sealed record DeadLetter(
    Guid? MessageId,
    string Queue,
    string? MessageType,
    string? ExceptionType,
    string? Reason,
    DateTimeOffset? FaultedAt);
