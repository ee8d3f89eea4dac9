namespace ConcertBooking.Messaging.Operations;

/// <summary>Why an operator gives up on a parked outbox message: kept with the row as its audit trail.</summary>
public sealed record DiscardRequest(string? Reason);
