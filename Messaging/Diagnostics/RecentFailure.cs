namespace ConcertBooking.Messaging.Diagnostics;

/// <summary>A publish or a consume that failed in this process, for the status page.</summary>
public sealed record RecentFailure(DateTimeOffset At, string Where, Guid? MessageId, string MessageType, string Error);
