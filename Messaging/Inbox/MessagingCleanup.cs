using ConcertBooking.Messaging.Outbox;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ConcertBooking.Messaging.Inbox;

/// <summary>Deletes dispatched outbox rows and inbox entries once they are past their retention.</summary>
internal sealed partial class MessagingCleanup<TDbContext>(
    IServiceScopeFactory scopeFactory,
    IOptions<MessagingOptions> options,
    TimeProvider timeProvider,
    ILogger<MessagingCleanup<TDbContext>> logger) : BackgroundService
    where TDbContext : DbContext
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var interval = Min(options.Value.Outbox.CleanupInterval, options.Value.Inbox.CleanupInterval);
        using var timer = new PeriodicTimer(interval, timeProvider);
        do
        {
            try
            {
                await CleanupAsync(stoppingToken);
            }
            catch (Exception exception) when (!stoppingToken.IsCancellationRequested)
            {
                LogCleanupFailed(logger, exception);
            }
        }
        while (await WaitAsync(timer, stoppingToken));
    }

    internal async Task CleanupAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopeFactory.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TDbContext>();
        var now = timeProvider.GetUtcNow();

        var dispatchedBefore = now - options.Value.Outbox.Retention;
        var outbox = await db.Set<OutboxMessage>()
            .Where(m => m.DispatchedAt != null && m.DispatchedAt < dispatchedBefore)
            .ExecuteDeleteAsync(cancellationToken);

        var receivedBefore = now - options.Value.Inbox.Retention;
        var inbox = await db.Set<InboxMessage>()
            .Where(m => m.ReceivedAt < receivedBefore)
            .ExecuteDeleteAsync(cancellationToken);

        if (outbox + inbox > 0)
        {
            LogCleaned(logger, outbox, inbox);
        }
    }

    private static async Task<bool> WaitAsync(PeriodicTimer timer, CancellationToken cancellationToken)
    {
        try
        {
            return await timer.WaitForNextTickAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;

    [LoggerMessage(Level = LogLevel.Information, Message = "Deleted {OutboxRows} dispatched outbox rows and {InboxRows} inbox entries past retention")]
    private static partial void LogCleaned(ILogger logger, int outboxRows, int inboxRows);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Outbox/inbox cleanup failed; it runs again at the next interval")]
    private static partial void LogCleanupFailed(ILogger logger, Exception exception);
}
