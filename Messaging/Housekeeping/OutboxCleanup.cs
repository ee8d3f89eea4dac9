using ConcertBooking.Messaging.Outbox;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ConcertBooking.Messaging.Housekeeping;

/// <summary>
/// Deletes dispatched outbox rows once they are past <see cref="OutboxOptions.Retention"/>, and discarded ones past
/// <see cref="OutboxOptions.DiscardedRetention"/>.
/// </summary>
internal sealed partial class OutboxCleanup<TDbContext>(
    IServiceScopeFactory scopeFactory,
    IOptions<MessagingOptions> options,
    TimeProvider timeProvider,
    ILogger<OutboxCleanup<TDbContext>> logger) : PeriodicJob(timeProvider, logger)
    where TDbContext : DbContext
{
    protected override TimeSpan Interval => options.Value.Outbox.CleanupInterval;

    protected override async Task RunOnceAsync(CancellationToken cancellationToken)
    {
        var now = Time.GetUtcNow();
        var dispatchedBefore = now - options.Value.Outbox.Retention;
        // In dispatch-time order, the order of the index that finds them: each chunk reads its rows and no others.
        var deleted = await BoundedDelete.RunAsync<TDbContext, OutboxMessage>(scopeFactory, db => db.Set<OutboxMessage>()
            .Where(m => m.DispatchedAt != null && m.DispatchedAt < dispatchedBefore && m.DiscardedAt == null)
            .OrderBy(m => m.DispatchedAt), cancellationToken);
        // Discarded rows are the audit trail of what an operator gave up on: kept longer. They stay in the parked index.
        var discardedBefore = now - options.Value.Outbox.DiscardedRetention;
        deleted += await BoundedDelete.RunAsync<TDbContext, OutboxMessage>(scopeFactory, db => db.Set<OutboxMessage>()
            .Where(m => m.ParkedAt != null && m.DiscardedAt != null && m.DiscardedAt < discardedBefore)
            .OrderBy(m => m.Sequence), cancellationToken);
        if (deleted > 0)
        {
            LogDeleted(logger, deleted);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Deleted {Rows} dispatched or discarded outbox rows past retention")]
    private static partial void LogDeleted(ILogger logger, int rows);
}
