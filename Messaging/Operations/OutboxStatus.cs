namespace ConcertBooking.Messaging.Operations;

/// <summary>
/// The outbox's backlog as operators see it: on the status page, in <c>/health</c> and in the gauges. Counts stop at
/// <see cref="CountCap"/> (shown as "10000+"), so reading it costs the same at ten rows and ten million.
/// </summary>
/// <param name="Pending">Rows not yet published, parked ones included.</param>
/// <param name="OldestPendingAge">Age of the oldest row the relay may publish (parked rows aside): grows when the relay is stuck.</param>
/// <param name="Failing">Rows that failed at least once among the oldest <see cref="OutboxStatusQuery.FailingScan"/> the relay may publish.</param>
/// <param name="Parked">Rows the broker kept refusing, waiting for an operator.</param>
/// <param name="DispatchedInRetention">Published (or discarded) rows kept for the retention.</param>
public sealed record OutboxStatus(
    int Pending,
    TimeSpan? OldestPendingAge,
    int Failing,
    int Parked,
    int DispatchedInRetention,
    int CountCap,
    IReadOnlyList<FailingOutboxMessage> FailingRows,
    IReadOnlyList<FailingOutboxMessage> ParkedRows);
