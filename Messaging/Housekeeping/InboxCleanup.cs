using ConcertBooking.Messaging.Inbox;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ConcertBooking.Messaging.Housekeeping;

/// <summary>Forgets handled message ids once they are past <see cref="InboxOptions.Retention"/>.</summary>
internal sealed partial class InboxCleanup<TDbContext>(
    IServiceScopeFactory scopeFactory,
    IOptions<MessagingOptions> options,
    TimeProvider timeProvider,
    ILogger<InboxCleanup<TDbContext>> logger) : PeriodicJob(timeProvider, logger)
    where TDbContext : DbContext
{
    protected override TimeSpan Interval => options.Value.Inbox.CleanupInterval;

    protected override async Task RunOnceAsync(CancellationToken cancellationToken)
    {
        var receivedBefore = Time.GetUtcNow() - options.Value.Inbox.Retention;
        var deleted = await BoundedDelete.RunAsync<TDbContext, InboxMessage>(scopeFactory, db => db.Set<InboxMessage>()
            .Where(m => m.ReceivedAt < receivedBefore)
            .OrderBy(m => m.ReceivedAt), cancellationToken);
        if (deleted > 0)
        {
            LogDeleted(logger, deleted);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Deleted {Rows} inbox entries past retention")]
    private static partial void LogDeleted(ILogger logger, int rows);
}
