using ConcertBooking.Messaging.Outbox;
using Microsoft.EntityFrameworkCore;

namespace ConcertBooking.Messaging.Operations;

internal static class OutboxStatusQuery
{
    public static async Task<OutboxStatus> ReadAsync(DbContext db, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var outbox = db.Set<OutboxMessage>().AsNoTracking();
        var pending = outbox.Where(m => m.DispatchedAt == null);
        var pendingCount = await pending.CountAsync(cancellationToken);
        var oldest = pendingCount == 0
            ? (DateTimeOffset?)null
            : await pending.OrderBy(m => m.Sequence).Select(m => (DateTimeOffset?)m.CreatedAt).FirstOrDefaultAsync(cancellationToken);
        var failing = await pending.Where(m => m.Attempts > 0)
            .OrderByDescending(m => m.Sequence)
            .Take(20)
            .Select(m => new FailingOutboxMessage(m.MessageId, m.MessageType, m.PartitionKey, m.Attempts, m.CreatedAt, m.NextAttemptAt, m.LastError))
            .ToListAsync(cancellationToken);
        var failingCount = failing.Count < 20 ? failing.Count : await pending.CountAsync(m => m.Attempts > 0, cancellationToken);
        var dispatched = await outbox.CountAsync(m => m.DispatchedAt != null, cancellationToken);
        return new OutboxStatus(pendingCount, oldest is { } createdAt ? now - createdAt : null, failingCount, dispatched, failing);
    }
}
