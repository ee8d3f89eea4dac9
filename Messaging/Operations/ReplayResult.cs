namespace ConcertBooking.Messaging.Operations;

/// <summary>How many dead letters a replay sent back.</summary>
public sealed record ReplayResult(int Replayed);
