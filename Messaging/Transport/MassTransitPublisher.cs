using System.Text.Json;
using MassTransit;

namespace ConcertBooking.Messaging.Transport;

/// <summary>Publishes through the MassTransit bus (RabbitMQ with publisher confirms, or in-memory for specs).</summary>
internal sealed class MassTransitPublisher(IBus bus) : ITransportPublisher
{
    public Task PublishAsync(OutgoingMessage message, CancellationToken cancellationToken)
    {
        var type = MessageTypes.Resolve(message.MessageType);
        var payload = JsonSerializer.Deserialize(message.Body, type, MessageSerialization.Options)
            ?? throw new InvalidOperationException($"Outbox message {message.MessageId} has an empty body.");

        return bus.Publish(payload, type, context =>
        {
            context.MessageId = message.MessageId;
            context.Headers.Set(MessageHeaders.PartitionKey, message.PartitionKey);
            context.Headers.Set(MessageHeaders.OccurredAt, message.CreatedAt.ToString("O"));
        }, cancellationToken);
    }
}
