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
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TDbContext>();
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var batch = new InboxBatch(db.Database.GetDbConnection(), transaction.GetDbTransaction());
        InboxBatch.Current = batch;
        try
        {
            await handleAll(batch, cancellationToken);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            batch.Fail(exception);
        }
        finally
        {
            InboxBatch.Current = null;
        }

        if (!batch.Failed)
        {
            try
            {
                await transaction.CommitAsync(cancellationToken);
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                // Committed or not, handled alone each delivery finds out: a committed one trips over its inbox entry.
                batch.Fail(exception);
            }
        }

        if (!batch.Failed)
        {
            metrics.BatchCommitted(batch.Count);
            batch.Committed();
            return true;
        }

        metrics.BatchRetriedAlone();
        LogRetriedAlone(logger, batch.Count, batch.Failure!.GetType().Name);
        return false;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "A batch of {Count} deliveries rolled back ({Reason}); handling each alone")]
    private static partial void LogRetriedAlone(ILogger logger, int count, string reason);
}
