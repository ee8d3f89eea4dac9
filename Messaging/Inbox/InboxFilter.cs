using System.Data.Common;
using ConcertBooking.Messaging.Diagnostics;
using ConcertBooking.Messaging.Publishing;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ConcertBooking.Messaging.Inbox;

/// <summary>
/// Runs a consumer in one database transaction with its inbox entry: the consumer stages its changes on the
/// service's DbContext, and they commit together with <c>(MessageId, consumer)</c>, or not at all.
/// <para>
/// Duplicates are rare (a redelivery after a crash, a publish repeated after a lost confirm), so the entry is not
/// looked up first: it is inserted with the consumer's changes, and a message handled before trips over the
/// entry's primary key at commit. Its changes roll back and it is acknowledged without effect. That saves a
/// database round trip per message, at the price that a duplicate runs its consumer once more inside a
/// transaction that is then rolled back; so a consumer's only effects are its DbContext changes and the
/// events it adds to the outbox. A consumer that throws on a duplicate (the state it expects has moved on) is
/// recognised by its entry as well, and acknowledged instead of retried.
/// </para>
/// </summary>
internal sealed partial class InboxFilter<TConsumer, TMessage, TDbContext>
    : IFilter<ConsumerConsumeContext<TConsumer, TMessage>>
    where TConsumer : class
    where TMessage : class
    where TDbContext : DbContext
{
    private static readonly string ConsumerName = typeof(TConsumer).Name;
    private static string? _entryKey;

    private readonly ConsumerOptions _options;

    public InboxFilter(ConsumerOptions options) => _options = options;

    public async Task Send(ConsumerConsumeContext<TConsumer, TMessage> context, IPipe<ConsumerConsumeContext<TConsumer, TMessage>> next)
    {
        var services = context.GetPayload<IServiceProvider>();
        var messageId = context.MessageId
            ?? throw new InvalidOperationException($"A {typeof(TMessage).Name} without a MessageId cannot be deduplicated.");

        if (InboxBatch.Current is { } batch)
        {
            await JoinAsync(batch, context, next, services, messageId);
        }
        else if (_options.MaxBatchSize > 1 && services.GetService<IInboxBatches>() is { } batches
            && services.GetService<InboxGroupCommits>() is { } groupCommits)
        {
            await groupCommits.For(ConsumerName, _options).RunAsync(
                new GroupedDelivery(
                    joined => JoinAsync(joined, context, next, services, messageId),
                    () => HandleAloneAsync(context, next, services, messageId)),
                batches,
                context.CancellationToken);
        }
        else
        {
            await HandleAloneAsync(context, next, services, messageId);
        }
    }

    /// <summary>
    /// Stages the consumer's changes and its inbox entry in a batch's transaction. A failure is not retried here: it
    /// fails the batch, which rolls back, and every delivery of it is then handled alone.
    /// </summary>
    private static async Task JoinAsync(
        InboxBatch batch, ConsumerConsumeContext<TConsumer, TMessage> context, IPipe<ConsumerConsumeContext<TConsumer, TMessage>> next,
        IServiceProvider services, Guid messageId)
    {
        if (batch.Failed)
        {
            return;
        }

        if (!batch.TryAdd(messageId, ConsumerName))
        {
            services.GetRequiredService<MessagingMetrics>().DuplicateDropped(ConsumerName);
            LogDuplicate(services.GetRequiredService<ILogger<InboxMessage>>(), messageId, ConsumerName);
            return;
        }

        var db = services.GetRequiredService<TDbContext>();
        var cancellationToken = context.CancellationToken;
        try
        {
            await batch.EnlistAsync(db, cancellationToken);
            db.Set<InboxMessage>().Add(new InboxMessage
            {
                MessageId = messageId, Consumer = ConsumerName, ReceivedAt = services.GetRequiredService<TimeProvider>().GetUtcNow(),
            });
            await next.Send(context);
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (Exception exception) when (!exception.IsCancellationOf(cancellationToken))
        {
            batch.Fail(exception);
            return;
        }
        finally
        {
            await batch.ReleaseAsync(db);
        }

        // Resolved now: on Kafka the delivery's scope ends before the batch commits.
        var metrics = services.GetRequiredService<MessagingMetrics>();
        var time = services.GetRequiredService<TimeProvider>();
        var activity = services.GetRequiredService<RecentActivity>();
        var occurredAt = OccurredAt(context, time.GetUtcNow());
        batch.AfterCommit(() => ReportConsumed(metrics, activity, time.GetUtcNow() - occurredAt));
    }

    private static async Task HandleAloneAsync(
        ConsumerConsumeContext<TConsumer, TMessage> context, IPipe<ConsumerConsumeContext<TConsumer, TMessage>> next,
        IServiceProvider services, Guid messageId)
    {
        var db = services.GetRequiredService<TDbContext>();
        var metrics = services.GetRequiredService<MessagingMetrics>();
        var time = services.GetRequiredService<TimeProvider>();
        var dialect = services.GetRequiredService<IDatabaseDialect>();
        var cancellationToken = context.CancellationToken;

        // A slot before the connection: consumers beyond the process-wide limit wait here, holding no connection.
        using var slot = await services.GetRequiredService<ConsumerConcurrency>().EnterAsync(cancellationToken);
        // The filter rolls the whole transaction back on failure: EF's savepoint around SaveChanges would be two round trips for nothing.
        db.Database.AutoSavepointsEnabled = false;
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        db.Set<InboxMessage>().Add(new InboxMessage { MessageId = messageId, Consumer = ConsumerName, ReceivedAt = time.GetUtcNow() });
        try
        {
            await next.Send(context);
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }
        catch (Exception exception) when (!exception.IsCancellationOf(cancellationToken))
        {
            if ((exception is DbUpdateException && dialect.IsUniqueViolation(exception, EntryKey(db)))
                || (!dialect.IsTransient(exception) && await HandledBeforeAsync(db, transaction, messageId)))
            {
                metrics.DuplicateDropped(ConsumerName);
                LogDuplicate(services.GetRequiredService<ILogger<InboxMessage>>(), messageId, ConsumerName);
                return;
            }

            // Recorded for the status page, then rethrown: retries and the error queue decide its fate.
            services.GetRequiredService<RecentActivity>().RecordFailure(new RecentFailure(
                time.GetUtcNow(), ConsumerName, messageId, typeof(TMessage).Name, $"{exception.GetType().Name}: {exception.Message}"));
            throw;
        }

        metrics.BatchCommitted(1);
        var now = time.GetUtcNow();
        ReportConsumed(metrics, services.GetRequiredService<RecentActivity>(), now - OccurredAt(context, now));
    }

    private static void ReportConsumed(MessagingMetrics metrics, RecentActivity activity, TimeSpan lag)
    {
        metrics.Consumed(ConsumerName);
        metrics.DeliveryLag(ConsumerName, lag);
        activity.RecordLag(lag);
    }

    /// <summary>The name of the inbox's primary key, as the database reports it in a unique violation.</summary>
    private static string EntryKey(DbContext db) =>
        _entryKey ??= db.Model.FindEntityType(typeof(InboxMessage))?.FindPrimaryKey()?.GetName()
            ?? throw new InvalidOperationException($"{db.GetType().Name} does not map the inbox: call modelBuilder.AddOutboxAndInbox().");

    /// <summary>Whether an earlier delivery of the message committed; asked only after the consumer failed.</summary>
    private static async Task<bool> HandledBeforeAsync(TDbContext db, IDbContextTransaction transaction, Guid messageId)
    {
        try
        {
            await transaction.RollbackAsync(CancellationToken.None);
            return await db.Set<InboxMessage>().AsNoTracking()
                .AnyAsync(m => m.MessageId == messageId && m.Consumer == ConsumerName, CancellationToken.None);
        }
        catch (Exception probe) when (probe is DbException or InvalidOperationException)
        {
            return false; // the database is unwell: the original failure decides, and retries ask again
        }
    }

    /// <summary>The outbox write time the relay sends along; the send time where a message came another way.</summary>
    private static DateTimeOffset OccurredAt(ConsumeContext context, DateTimeOffset now) =>
        context.Headers.Get<string>(OutboxHeaders.OccurredAt) is { } value
        && DateTimeOffset.TryParse(value, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.RoundtripKind, out var occurredAt)
            ? occurredAt
            : context.SentTime is { } sent ? new DateTimeOffset(DateTime.SpecifyKind(sent, DateTimeKind.Utc)) : now;

    public void Probe(ProbeContext context) => context.CreateFilterScope("inbox");

    [LoggerMessage(Level = LogLevel.Information, Message = "Message {MessageId} was already handled by {Consumer}; acknowledged without effect")]
    private static partial void LogDuplicate(ILogger logger, Guid messageId, string consumer);
}
