using System.Diagnostics;
using System.Text.Json;
using ConcertBooking.Messaging.Publishing;
using Microsoft.EntityFrameworkCore;

namespace ConcertBooking.Messaging.Outbox;

internal sealed class EfOutbox<TDbContext>(TDbContext dbContext, TimeProvider timeProvider) : IOutbox
    where TDbContext : DbContext
{
    public Guid Add<TMessage>(TMessage message, string partitionKey) where TMessage : class
    {
        ArgumentNullException.ThrowIfNull(message);
        ArgumentException.ThrowIfNullOrWhiteSpace(partitionKey);

        var now = timeProvider.GetUtcNow();
        var messageId = Guid.CreateVersion7(now);
        dbContext.Set<OutboxMessage>().Add(new OutboxMessage
        {
            MessageId = messageId,
            MessageType = MessageTypeNames.Of(message.GetType()),
            Body = JsonSerializer.Serialize(message, message.GetType(), MessageSerialization.Options),
            PartitionKey = partitionKey,
            TraceParent = Activity.Current?.Id,
            CreatedAt = now,
        });
        return messageId;
    }

    public Task<bool> IsWaitingAsync(string partitionKey, CancellationToken cancellationToken) =>
        dbContext.Set<OutboxMessage>().AnyAsync(m => m.PartitionKey == partitionKey && m.DispatchedAt == null, cancellationToken);
}
