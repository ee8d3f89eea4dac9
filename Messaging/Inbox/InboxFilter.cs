using ConcertBooking.Messaging.Operations;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ConcertBooking.Messaging.Inbox;

/// <summary>
/// Runs a consumer in one database transaction with its inbox entry: the consumer stages its changes on the
/// service's DbContext, and they commit together with <c>(MessageId, consumer)</c>, or not at all. A message
/// that already has an entry is acknowledged without running the consumer again.
/// </summary>
internal sealed partial class InboxFilter<TConsumer, TMessage, TDbContext>
    : IFilter<ConsumerConsumeContext<TConsumer, TMessage>>
    where TConsumer : class
    where TMessage : class
    where TDbContext : DbContext
{
    private static readonly string ConsumerName = typeof(TConsumer).Name;

    public async Task Send(ConsumerConsumeContext<TConsumer, TMessage> context, IPipe<ConsumerConsumeContext<TConsumer, TMessage>> next)
    {
        var services = context.GetPayload<IServiceProvider>();
        var db = services.GetRequiredService<TDbContext>();
        var metrics = services.GetRequiredService<MessagingMetrics>();
        var time = services.GetRequiredService<TimeProvider>();
        var recent = services.GetRequiredService<RecentActivity>();
        var messageId = context.MessageId
            ?? throw new InvalidOperationException($"A {typeof(TMessage).Name} without a MessageId cannot be deduplicated.");
        var cancellationToken = context.CancellationToken;

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var seen = await db.Set<InboxMessage>()
            .AnyAsync(m => m.MessageId == messageId && m.Consumer == ConsumerName, cancellationToken);
        if (seen)
        {
            metrics.DuplicateDropped(ConsumerName);
            LogDuplicate(services.GetRequiredService<ILogger<InboxMessage>>(), messageId, ConsumerName);
            return;
        }

        // A concurrent redelivery that passed the check as well fails on the primary key at commit and is retried,
        // then finds this entry.
        db.Set<InboxMessage>().Add(new InboxMessage { MessageId = messageId, Consumer = ConsumerName, ReceivedAt = time.GetUtcNow() });
        try
        {
            await next.Send(context);
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }
        catch (Exception exception)
        {
            // Recorded for the status page, then rethrown: retries and the error queue decide its fate.
            recent.RecordFailure(new RecentFailure(
                time.GetUtcNow(), ConsumerName, messageId, typeof(TMessage).Name, $"{exception.GetType().Name}: {exception.Message}"));
            throw;
        }

        metrics.Consumed(ConsumerName);
        var now = time.GetUtcNow();
        var lag = now - OccurredAt(context, now);
        metrics.ReplicationLag(ConsumerName, lag);
        recent.RecordLag(lag);
    }

    /// <summary>The outbox write time the relay sends along; the send time where a message came another way.</summary>
    private static DateTimeOffset OccurredAt(ConsumeContext context, DateTimeOffset now) =>
        context.Headers.Get<string>(MessageHeaders.OccurredAt) is { } value
        && DateTimeOffset.TryParse(value, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.RoundtripKind, out var occurredAt)
            ? occurredAt
            : context.SentTime is { } sent ? new DateTimeOffset(DateTime.SpecifyKind(sent, DateTimeKind.Utc)) : now;

    public void Probe(ProbeContext context) => context.CreateFilterScope("inbox");

    [LoggerMessage(Level = LogLevel.Information, Message = "Message {MessageId} was already handled by {Consumer}; acknowledged without effect")]
    private static partial void LogDuplicate(ILogger logger, Guid messageId, string consumer);
}

/// <summary>Puts the inbox in front of every consumer of the bus, so none can be configured without it.</summary>
internal sealed class InboxConfigurationObserver<TDbContext> : IConsumerConfigurationObserver
    where TDbContext : DbContext
{
    public void ConsumerConfigured<TConsumer>(IConsumerConfigurator<TConsumer> configurator) where TConsumer : class
    {
    }

    public void ConsumerMessageConfigured<TConsumer, TMessage>(IConsumerMessageConfigurator<TConsumer, TMessage> configurator)
        where TConsumer : class
        where TMessage : class =>
        configurator.UseFilter(new InboxFilter<TConsumer, TMessage, TDbContext>());
}
