using ConcertBooking.Messaging.Outbox;
using Microsoft.EntityFrameworkCore;

namespace ConcertBooking.Messaging.Operations;

/// <summary>
/// Reads the outbox's status with statements whose cost does not grow with the table: counts stop at
/// <see cref="CountCap"/>, and every lookup walks one of the outbox's partial indexes (pending, claimable, parked) or
/// the dispatch-time index from its start, never the whole table.
/// </summary>
internal static class OutboxStatusQuery
{
    public const int CountCap = 10_000;

    /// <summary>How many of the oldest publishable rows are looked at for failures: the failing rows that hold keys back are the old ones.</summary>
    public const int FailingScan = 1_000;

    private const int Listed = 20;

    public static async Task<OutboxStatus> ReadAsync(DbContext db, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var outbox = db.Set<OutboxMessage>().AsNoTracking();
        var pending = outbox.Where(m => m.DispatchedAt == null);
        var claimable = pending.Where(m => m.ParkedAt == null).OrderBy(m => m.Sequence);
        var oldestClaimable = claimable.Take(FailingScan).Where(m => m.Attempts > 0);

        var pendingCount = await pending.Take(CountCap).CountAsync(cancellationToken);
        var oldest = pendingCount == 0
            ? null
            : await claimable.Select(m => (DateTimeOffset?)m.CreatedAt).FirstOrDefaultAsync(cancellationToken);
        var failingRows = await Describe(oldestClaimable.OrderBy(m => m.Sequence).Take(Listed)).ToListAsync(cancellationToken);
        var failing = failingRows.Count < Listed ? failingRows.Count : await oldestClaimable.CountAsync(cancellationToken);
        IReadOnlyList<FailingOutboxMessage> parkedRows = pendingCount == 0 ? [] : await ParkedRowsAsync(db, Listed, cancellationToken);
        var parked = parkedRows.Count < Listed ? parkedRows.Count : await Parked(db).Take(CountCap).CountAsync(cancellationToken);
        var dispatched = await outbox.Where(m => m.DispatchedAt != null).Take(CountCap).CountAsync(cancellationToken);
        return new OutboxStatus(pendingCount, oldest is { } createdAt ? now - createdAt : null, failing, parked, dispatched, CountCap,
            failingRows, parkedRows);
    }

    /// <summary>The oldest parked rows first: the ones that have held their keys back longest.</summary>
    public static async Task<IReadOnlyList<FailingOutboxMessage>> ParkedRowsAsync(DbContext db, int max, CancellationToken cancellationToken) =>
        await Describe(Parked(db).OrderBy(m => m.Sequence).Take(max)).ToListAsync(cancellationToken);

    private static IQueryable<OutboxMessage> Parked(DbContext db) =>
        db.Set<OutboxMessage>().AsNoTracking().Where(m => m.ParkedAt != null && m.DispatchedAt == null);

    private static IQueryable<FailingOutboxMessage> Describe(IQueryable<OutboxMessage> rows) =>
        rows.Select(m => new FailingOutboxMessage(m.MessageId, m.MessageType, m.PartitionKey, m.Attempts, m.CreatedAt, m.NextAttemptAt,
            m.ParkedAt, m.LastError));
}
