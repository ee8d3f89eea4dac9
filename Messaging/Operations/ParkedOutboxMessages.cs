using ConcertBooking.Messaging.Diagnostics;
using ConcertBooking.Messaging.Outbox;
using ConcertBooking.Messaging.Publishing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ConcertBooking.Messaging.Operations;

internal sealed partial class ParkedOutboxMessages<TDbContext>(
    IServiceScopeFactory scopeFactory,
    OutboxSignal signal,
    MessagingMetrics metrics,
    TimeProvider timeProvider,
    ILogger<ParkedOutboxMessages<TDbContext>> logger) : IParkedOutboxMessages
    where TDbContext : DbContext
{
    public async Task<IReadOnlyList<FailingOutboxMessage>> ListAsync(int max, CancellationToken cancellationToken)
    {
        await using var scope = scopeFactory.CreateAsyncScope();
        return await OutboxStatusQuery.ParkedRowsAsync(scope.ServiceProvider.GetRequiredService<TDbContext>(), max, cancellationToken);
    }

    public async Task<int> RetryAsync(Guid? messageId, CancellationToken cancellationToken)
    {
        await using var scope = scopeFactory.CreateAsyncScope();
        var retried = await Parked(scope, messageId).ExecuteUpdateAsync(set => set
            .SetProperty(m => m.ParkedAt, (DateTimeOffset?)null)
            .SetProperty(m => m.Attempts, 0)
            .SetProperty(m => m.NextAttemptAt, (DateTimeOffset?)null), cancellationToken);
        if (retried > 0)
        {
            LogRetried(logger, retried, messageId);
            signal.Notify();
        }

        return retried;
    }

    public async Task<bool> DiscardAsync(Guid messageId, string reason, CancellationToken cancellationToken)
    {
        await using var scope = scopeFactory.CreateAsyncScope();
        var row = await Parked(scope, messageId).Select(m => new { m.MessageType }).FirstOrDefaultAsync(cancellationToken);
        var now = timeProvider.GetUtcNow();
        // DispatchedAt marks that the row left the outbox, which releases its key (OutboxClaim) and lets the cleanup
        // find it; DiscardedAt and the reason say how it left.
        var discarded = row is not null && await Parked(scope, messageId).ExecuteUpdateAsync(set => set
            .SetProperty(m => m.DispatchedAt, now)
            .SetProperty(m => m.DiscardedAt, now)
            .SetProperty(m => m.DiscardReason, reason), cancellationToken) == 1;
        if (discarded)
        {
            metrics.Discarded(MessageTypeNames.ShortName(row!.MessageType));
            LogDiscarded(logger, messageId, row.MessageType, reason);
            signal.Notify();
        }

        return discarded;
    }

    private static IQueryable<OutboxMessage> Parked(AsyncServiceScope scope, Guid? messageId)
    {
        var parked = scope.ServiceProvider.GetRequiredService<TDbContext>().Set<OutboxMessage>()
            .Where(m => m.ParkedAt != null && m.DispatchedAt == null);
        return messageId is { } id ? parked.Where(m => m.MessageId == id) : parked;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Operator retried {Rows} parked outbox message(s) (message id {MessageId}, none: all)")]
    private static partial void LogRetried(ILogger logger, int rows, Guid? messageId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Operator discarded parked outbox message {MessageId} ({MessageType}); it will never be published. Reason: {Reason}")]
    private static partial void LogDiscarded(ILogger logger, Guid messageId, string messageType, string reason);
}
