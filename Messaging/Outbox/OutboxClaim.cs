using Microsoft.EntityFrameworkCore;

namespace ConcertBooking.Messaging.Outbox;

/// <summary>
/// Claims a batch of due rows with row locks that other relay instances skip instead of waiting for, so several
/// instances share the work without claiming a row twice (the locking is the dialect's, the rest is the same SQL on
/// every provider).
/// <para>
/// Only the oldest pending row of each partition key is claimable: a key's next row waits until the row before
/// it is dispatched, whether that row is held by another instance, waiting for a retry or parked. That keeps each key's
/// events in order across any number of instances, in the same round trip as the claim. A key with a backlog
/// drains one row per batch; keys are independent, and a batch publishes its keys concurrently.
/// </para>
/// </summary>
internal static class OutboxClaim
{
    /// <summary>The claimed rows, untracked: the relay marks them with set-based updates.</summary>
    public static Task<List<OutboxMessage>> ClaimAsync(
        DbContext db, IDatabaseDialect dialect, int batchSize, DateTimeOffset now, CancellationToken cancellationToken) =>
        db.Set<OutboxMessage>().FromSqlRaw(BuildSql(db, dialect, batchSize), now).AsNoTracking().ToListAsync(cancellationToken);

    internal static string BuildSql(DbContext db, IDatabaseDialect dialect, int batchSize)
    {
        var table = MappedTable.Of<OutboxMessage>(db, "the outbox: call modelBuilder.AddOutboxAndInbox()");
        var from = table.Name;
        var dispatchedAt = table.Column(nameof(OutboxMessage.DispatchedAt));
        var nextAttemptAt = table.Column(nameof(OutboxMessage.NextAttemptAt));
        var sequence = table.Column(nameof(OutboxMessage.Sequence));
        var partitionKey = table.Column(nameof(OutboxMessage.PartitionKey));
        var parkedAt = table.Column(nameof(OutboxMessage.ParkedAt));
        // A row never tried has no retry time: due at once, whatever the writer's clock said (see OutboxMessage.NextAttemptAt).
        var due = $"o.{dispatchedAt} IS NULL AND o.{parkedAt} IS NULL AND (o.{nextAttemptAt} IS NULL OR o.{nextAttemptAt} <= {{0}})";
        // The oldest pending row of its key, asked as the key's lowest pending sequence rather than as "no earlier pending
        // row exists": PostgreSQL turns NOT EXISTS into a join, and on statistics taken while nothing was pending (the
        // steady state) it joined each candidate against every pending row, so a claim cost grew with the backlog, just
        // when a broker outage had built one. A correlated MIN stays a per-row lookup of the key's first pending row
        // (IX_OutboxMessages_PendingByKey); AddOutboxAndInbox keeps every other index from answering "DispatchedAt IS NULL".
        var oldestOfItsKey = $"o.{sequence} = (SELECT MIN(e.{sequence}) FROM {from} e WHERE e.{partitionKey} = o.{partitionKey} " +
            $"AND e.{dispatchedAt} IS NULL)";
        return dialect.SelectForUpdateSkipLocked(from, $"{due} AND {oldestOfItsKey}", $"o.{sequence}", batchSize);
    }
}
