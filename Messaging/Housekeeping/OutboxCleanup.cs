using ConcertBooking.Messaging.Outbox;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ConcertBooking.Messaging.Housekeeping;

/// <summary>Deletes dispatched outbox rows once they are past <see cref="Outbox.OutboxOptions.Retention"/>.</summary>
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
        var dispatchedBefore = Time.GetUtcNow() - options.Value.Outbox.Retention;
        var deleted = await BoundedDelete.RunAsync<TDbContext, OutboxMessage>(scopeFactory, db => db.Set<OutboxMessage>()
            .Where(m => m.DispatchedAt != null && m.DispatchedAt < dispatchedBefore)
            .OrderBy(m => m.Sequence), cancellationToken);
        if (deleted > 0)
        {
            LogDeleted(logger, deleted);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Deleted {Rows} dispatched outbox rows past retention")]
    private static partial void LogDeleted(ILogger logger, int rows);
}
