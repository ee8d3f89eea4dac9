namespace ConcertBooking.Messaging.Operations;

/// <summary>The outbox's backlog as operators see it: on the status page, in readiness and in the gauges.</summary>
public sealed record OutboxStatus(
    int Pending,
    TimeSpan? OldestPendingAge,
    int Failing,
    int DispatchedInRetention,
    IReadOnlyList<FailingOutboxMessage> RecentlyFailing);
