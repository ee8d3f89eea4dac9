using System.Diagnostics;
using ConcertBooking.Messaging.Operations;
using ConcertBooking.Messaging.Transport;
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
                var batch = await DispatchBatchAsync(stoppingToken);
                consecutiveFailures = 0;
                if (batch.Claimed == _options.BatchSize && batch.Published > 0)
                {
                    continue; // a full batch: more rows are probably waiting
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

    internal readonly record struct BatchResult(int Claimed, int Published);

    internal async Task<BatchResult> DispatchBatchAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopeFactory.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TDbContext>();
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);

        var claimed = await OutboxClaim.ClaimAsync(db, _options.BatchSize, timeProvider.GetUtcNow(), cancellationToken);
        if (claimed.Count == 0)
        {
            await transaction.CommitAsync(cancellationToken);
            return new BatchResult(0, 0);
        }

        var lanes = await OrderedLanesAsync(db, claimed, cancellationToken);
        var published = await Task.WhenAll(lanes.Select(lane => PublishLaneAsync(lane, cancellationToken)));

        // Mark even when shutting down: what the broker confirmed must not be published again needlessly.
        await db.SaveChangesAsync(CancellationToken.None);
        await transaction.CommitAsync(CancellationToken.None);
        return new BatchResult(claimed.Count, published.Sum());
    }

    /// <summary>
    /// Splits the claimed rows into one lane per partition key, keeping only the rows no earlier pending row
    /// of the same key precedes: one held by another instance, or waiting to be retried, blocks the rest of its
    /// key so that the key's events are never published out of order.
    /// </summary>
    private static async Task<List<List<OutboxMessage>>> OrderedLanesAsync(
        TDbContext db, List<OutboxMessage> claimed, CancellationToken cancellationToken)
    {
        var keys = claimed.Select(m => m.PartitionKey).Distinct().ToList();
        var lastSequence = claimed.Max(m => m.Sequence);
        var pending = await db.Set<OutboxMessage>()
            .AsNoTracking()
            .Where(m => m.DispatchedAt == null && m.Sequence <= lastSequence && keys.Contains(m.PartitionKey))
            .OrderBy(m => m.Sequence)
            .Select(m => new { m.Sequence, m.PartitionKey })
            .ToListAsync(cancellationToken);

        var claimedBySequence = claimed.ToDictionary(m => m.Sequence);
        var lanes = new Dictionary<string, List<OutboxMessage>>();
        var blocked = new HashSet<string>();
        foreach (var row in pending)
        {
            if (blocked.Contains(row.PartitionKey))
            {
                continue;
            }

            if (claimedBySequence.TryGetValue(row.Sequence, out var message))
            {
                if (!lanes.TryGetValue(row.PartitionKey, out var lane))
                {
                    lanes[row.PartitionKey] = lane = [];
                }

                lane.Add(message);
            }
            else
            {
                blocked.Add(row.PartitionKey);
            }
        }

        return [.. lanes.Values];
    }

    private async Task<int> PublishLaneAsync(List<OutboxMessage> lane, CancellationToken cancellationToken)
    {
        var published = 0;
        foreach (var message in lane)
        {
            if (cancellationToken.IsCancellationRequested)
            {
                break;
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

                message.Attempts++;
                message.DispatchedAt = timeProvider.GetUtcNow();
                metrics.Published(MessageTypes.ShortName(message.MessageType), timeProvider.GetElapsedTime(started));
                published++;
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                break; // shutting down: unconfirmed rows stay pending for the next relay
            }
            catch (Exception exception)
            {
                message.Attempts++;
                message.LastError = Truncate(exception is OperationCanceledException
                    ? $"The broker did not confirm within {_options.PublishTimeout} (unreachable or overloaded)."
                    : $"{exception.GetType().FullName}: {exception.Message}", 2000);
                var delay = Backoff(message.Attempts);
                message.NextAttemptAt = timeProvider.GetUtcNow() + delay;
                metrics.PublishFailed(MessageTypes.ShortName(message.MessageType));
                recentActivity.RecordFailure(new RecentFailure(timeProvider.GetUtcNow(), "outbox relay", message.MessageId,
                    MessageTypes.ShortName(message.MessageType), message.LastError));
                LogPublishFailed(logger, exception, message.MessageId, message.MessageType, message.Attempts, delay);
                break; // the rest of this key waits, so its order holds
            }
        }

        return published;
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

    [LoggerMessage(Level = LogLevel.Warning, Message = "Outbox relay batch failed; retrying in {Delay}")]
    private static partial void LogBatchFailed(ILogger logger, Exception exception, TimeSpan delay);
}
