using System.Diagnostics;
using ConcertBooking.Messaging.Diagnostics;
using ConcertBooking.Messaging.Publishing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ConcertBooking.Messaging.Outbox;

/// <summary>
/// Publishes committed outbox rows, at least once, in order per partition key. Woken by commits in this process
/// and by a poll for rows that other instances or a crash left behind. Any number of instances may run.
/// </summary>
internal sealed partial class OutboxRelay<TDbContext>(
    IServiceScopeFactory scopeFactory,
    ITransportPublisher publisher,
    IDatabaseDialect dialect,
    OutboxSignal signal,
    IOptions<MessagingOptions> options,
    MessagingMetrics metrics,
    RecentActivity recentActivity,
    TimeProvider timeProvider,
    ILogger<OutboxRelay<TDbContext>> logger) : BackgroundService
    where TDbContext : DbContext
{
    private readonly OutboxOptions _options = options.Value.Outbox;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var consecutiveFailures = 0;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var published = await DispatchBatchAsync(stoppingToken);
                consecutiveFailures = 0;
                if (published > 0)
                {
                    continue; // more may be waiting: rows of a full batch, and the next row of each key just published
                }

                await signal.WaitAsync(_options.PollInterval, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception exception)
            {
                // The database is unreachable or the batch failed as a whole: rows stay pending, nothing is lost.
                consecutiveFailures++;
                var delay = Backoff(consecutiveFailures);
                LogBatchFailed(logger, exception, delay);
                try
                {
                    await Task.Delay(delay, timeProvider, stoppingToken);
                }
                catch (OperationCanceledException)
                {
                    break;
                }
            }
        }
    }

    /// <summary>Claims, publishes and marks one batch; returns how many rows the broker confirmed.</summary>
    internal async Task<int> DispatchBatchAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopeFactory.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TDbContext>();
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);

        var claimed = await OutboxClaim.ClaimAsync(db, dialect, _options.BatchSize, timeProvider.GetUtcNow(), cancellationToken);
        if (claimed.Count == 0)
        {
            await transaction.CommitAsync(cancellationToken);
            return 0;
        }

        // One row per partition key (OutboxClaim), so the rows are independent and go out concurrently.
        var outcomes = await Task.WhenAll(claimed.Select(message => PublishAsync(message, cancellationToken)));

        // Marked even when shutting down: what the broker confirmed must not be published again needlessly. The
        // confirmed rows take one statement however many there are; failures (rare) carry their own error and retry time.
        var confirmed = claimed.Where((_, i) => outcomes[i] == Outcome.Confirmed).Select(m => m.Sequence).ToList();
        var dispatchedAt = timeProvider.GetUtcNow();
        foreach (var chunk in confirmed.Chunk(1000)) // SQL Server takes at most 2,100 parameters per statement
        {
            await db.Set<OutboxMessage>().Where(m => chunk.Contains(m.Sequence)).ExecuteUpdateAsync(set => set
                .SetProperty(m => m.DispatchedAt, dispatchedAt)
                .SetProperty(m => m.Attempts, m => m.Attempts + 1), CancellationToken.None);
        }

        foreach (var failed in claimed.Where((_, i) => outcomes[i] == Outcome.Failed))
        {
            var entry = db.Attach(failed);
            entry.Property(m => m.Attempts).IsModified = true;
            entry.Property(m => m.LastError).IsModified = true;
            entry.Property(m => m.NextAttemptAt).IsModified = true;
            entry.Property(m => m.ParkedAt).IsModified = true;
        }

        await db.SaveChangesAsync(CancellationToken.None);
        await transaction.CommitAsync(CancellationToken.None);
        return confirmed.Count;
    }

    private enum Outcome
    {
        Confirmed,
        Failed,
        NotAttempted,
    }

    /// <summary>Publishes one row; a failure is recorded on it (attempts, error, retry time) for the caller to save.</summary>
    private async Task<Outcome> PublishAsync(OutboxMessage message, CancellationToken cancellationToken)
    {
        if (cancellationToken.IsCancellationRequested)
        {
            return Outcome.NotAttempted;
        }

        var started = timeProvider.GetTimestamp();
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(_options.PublishTimeout);
            using var activity = MessagingMetrics.ActivitySource.StartActivity(
                "outbox relay", ActivityKind.Producer, message.TraceParent);
            activity?.SetTag("messaging.message.id", message.MessageId);

            await publisher.PublishAsync(
                new OutgoingMessage(message.MessageId, message.MessageType, message.Body, message.PartitionKey,
                    message.CreatedAt, message.TraceParent),
                timeout.Token);

            metrics.Published(MessageTypeNames.ShortName(message.MessageType), timeProvider.GetElapsedTime(started));
            return Outcome.Confirmed;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return Outcome.NotAttempted; // shutting down: an unconfirmed row stays pending for the next relay
        }
        catch (Exception exception)
        {
            message.Attempts++;
            message.LastError = Truncate(exception is OperationCanceledException
                ? $"The broker did not confirm within {_options.PublishTimeout} (unreachable or overloaded)."
                : $"{exception.GetType().FullName}: {exception.Message}", 2000);
            var delay = Backoff(message.Attempts);
            var now = timeProvider.GetUtcNow();
            message.NextAttemptAt = now + delay;
            var shortType = MessageTypeNames.ShortName(message.MessageType);
            metrics.PublishFailed(shortType);
            recentActivity.RecordFailure(new RecentFailure(now, "outbox relay", message.MessageId, shortType, message.LastError));

            // Only a refusal parks a row: an unreachable broker fails every row alike, and waiting it out is the outbox's job.
            if (exception is PublishRefusedException && message.Attempts >= _options.MaxAttempts)
            {
                message.ParkedAt = now;
                LogParked(logger, exception, message.MessageId, message.MessageType, message.Attempts);
            }
            else
            {
                LogPublishFailed(logger, exception, message.MessageId, message.MessageType, message.Attempts, delay);
            }

            return Outcome.Failed; // the key's later rows wait behind this one (OutboxClaim), so its order holds
        }
    }

    private TimeSpan Backoff(int attempt)
    {
        var exponential = _options.RetryBaseDelay * Math.Pow(2, Math.Min(attempt - 1, 20));
        var capped = exponential < _options.RetryMaxDelay ? exponential : _options.RetryMaxDelay;
        return capped * (0.8 + (Random.Shared.NextDouble() * 0.4)); // jitter spreads retries of many instances
    }

    private static string Truncate(string value, int length) => value.Length <= length ? value : value[..length];

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "Outbox publish of {MessageId} ({MessageType}) failed on attempt {Attempts}; retrying in {Delay}")]
    private static partial void LogPublishFailed(
        ILogger logger, Exception exception, Guid messageId, string messageType, int attempts, TimeSpan delay);

    [LoggerMessage(Level = LogLevel.Error,
        Message = "Outbox message {MessageId} ({MessageType}) was refused {Attempts} times and is parked; it holds back its key's later events until an operator retries or discards it (/ops/outbox/parked)")]
    private static partial void LogParked(ILogger logger, Exception exception, Guid messageId, string messageType, int attempts);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Outbox relay batch failed; retrying in {Delay}")]
    private static partial void LogBatchFailed(ILogger logger, Exception exception, TimeSpan delay);
}
