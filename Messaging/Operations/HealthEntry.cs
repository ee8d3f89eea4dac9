namespace ConcertBooking.Messaging.Operations;

/// <summary>One health check as the status page shows it: the database, the bus or broker, the outbox.</summary>
public sealed record HealthEntry(string Name, string Status, string? Description);
