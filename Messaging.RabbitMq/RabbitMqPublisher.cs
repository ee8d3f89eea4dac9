using System.Text.Json;
using ConcertBooking.Messaging.Publishing;
using MassTransit;

namespace ConcertBooking.Messaging.RabbitMq;

/// <summary>Publishes through the MassTransit bus on RabbitMQ, which awaits the broker's publisher confirm.</summary>
internal sealed class RabbitMqPublisher(IBus bus) : ITransportPublisher
{
    public Task PublishAsync(OutgoingMessage message, CancellationToken cancellationToken)
    {
        var type = MessageTypeNames.Resolve(message.MessageType);
        var payload = JsonSerializer.Deserialize(message.Body, type, MessageSerialization.Options)
            ?? throw new InvalidOperationException($"Outbox message {message.MessageId} has an empty body.");

        return bus.Publish(payload, type, context =>
        {
            context.MessageId = message.MessageId;
            context.Headers.Set(OutboxHeaders.PartitionKey, message.PartitionKey);
            context.Headers.Set(OutboxHeaders.OccurredAt, message.CreatedAt.ToString("O"));
        }, cancellationToken);
    }
}
