using ConcertBooking.Messaging.Diagnostics;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ConcertBooking.Messaging.Inbox;

/// <summary>
/// A batch's transaction on a DbContext of its own scope, so it outlives every delivery that joins it; one
/// connection slot for the whole batch.
/// </summary>
internal sealed partial class InboxBatches<TDbContext>(
    IServiceScopeFactory scopes, ConsumerConcurrency concurrency, MessagingMetrics metrics, ILogger<InboxBatch> logger) : IInboxBatches
    where TDbContext : DbContext
{
    public async Task<bool> TryRunTogetherAsync(Func<InboxBatch, CancellationToken, Task> handleAll, CancellationToken cancellationToken)
    {
        using var slot = await concurrency.EnterAsync(cancellationToken);
        InboxBatch? batch = null;
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<TDbContext>();
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            batch = new InboxBatch(db.Database.GetDbConnection(), transaction.GetDbTransaction());
            InboxBatch.Current = batch;
            try
            {
                await handleAll(batch, cancellationToken);
            }
            finally
            {
                InboxBatch.Current = null;
            }

            if (batch.Failure is { } failure)
            {
                return RetriedAlone(batch.Count, failure);
            }

            await transaction.CommitAsync(cancellationToken);
        }
        catch (Exception exception) when (!exception.IsCancellationOf(cancellationToken))
        {
            // The database is away, or the commit failed (committed or not: handled alone, a committed delivery trips over
            // its inbox entry). Never thrown to the transport: handled alone, each delivery gets its retries and dead letter.
            return RetriedAlone(batch?.Count ?? 0, exception);
        }

        metrics.BatchCommitted(batch.Count);
        batch.Committed();
        return true;
    }

    private bool RetriedAlone(int count, Exception reason)
    {
        metrics.BatchRetriedAlone();
        LogRetriedAlone(logger, count, reason.GetType().Name);
        return false;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "A batch of {Count} deliveries rolled back ({Reason}); handling each alone")]
    private static partial void LogRetriedAlone(ILogger logger, int count, string reason);
}
