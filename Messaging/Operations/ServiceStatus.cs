using ConcertBooking.Messaging.Diagnostics;

namespace ConcertBooking.Messaging.Operations;

/// <summary>What the status page shows: one service's messaging at a glance.</summary>
public sealed record ServiceStatus(
    string Service,
    DateTimeOffset At,
    IReadOnlyList<HealthEntry> Health,
    OutboxStatus Outbox,
    LagSummary DeliveryLagMs,
    IReadOnlyList<RecentFailure> RecentFailures,
    IReadOnlyList<DeadLetter> DeadLetters,
    string? DeadLettersError);
