namespace ConcertBooking.Messaging.Operations;

/// <summary>How many parked outbox messages an operator's retry or discard affected.</summary>
public sealed record ParkedResult(int Affected);
