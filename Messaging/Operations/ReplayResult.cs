namespace ConcertBooking.Messaging.Operations;

/// <summary>
/// What a replay of dead letters did: how many it sent back, and how many it left because a newer message of their key
/// already superseded them (on a compacted topic, where the last message of a key stands for its state).
/// </summary>
public sealed record ReplayResult(int Replayed, int Superseded);
