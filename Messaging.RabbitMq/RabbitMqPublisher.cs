using System.Text.Json;
using ConcertBooking.Messaging.Publishing;
using MassTransit;

namespace ConcertBooking.Messaging.RabbitMq;

/// <summary>Publishes through the MassTransit bus on RabbitMQ, which awaits the broker's publisher confirm.</summary>
internal sealed class RabbitMqPublisher(IBus bus) : ITransportPublisher
{
    public async Task PublishAsync(OutgoingMessage message, CancellationToken cancellationToken)
    {
        var (type, payload) = Read(message);
        await bus.Publish(payload, type, context =>
        {
            context.MessageId = message.MessageId;
            context.Headers.Set(OutboxHeaders.PartitionKey, message.PartitionKey);
            context.Headers.Set(OutboxHeaders.OccurredAt, message.CreatedAt.ToString("O"));
        }, cancellationToken);
    }

    /// <summary>The message as its CLR type; a row this build cannot read can never be sent, which is a refusal.</summary>
    private static (Type Type, object Payload) Read(OutgoingMessage message)
    {
        try
        {
            var type = MessageTypeNames.Resolve(message.MessageType);
            return (type, JsonSerializer.Deserialize(message.Body, type, MessageSerialization.Options)
                ?? throw new JsonException("The body is JSON null."));
        }
        catch (Exception exception) when (exception is InvalidOperationException or JsonException or NotSupportedException)
        {
            throw new PublishRefusedException($"Outbox message {message.MessageId} cannot be read by this build: {exception.Message}", exception);
        }
    }
}
