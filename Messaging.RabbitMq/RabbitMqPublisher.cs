using System.Text.Json;
using ConcertBooking.Messaging.Publishing;
using MassTransit;

namespace ConcertBooking.Messaging.RabbitMq;

/// <summary>
/// Publishes through the MassTransit bus on RabbitMQ, which awaits the broker's publisher confirm. Mandatory: RabbitMQ
/// confirms a message that no queue receives, so without it an event published before its consumers' queues exist (a
/// first deploy, a renamed service) would be marked dispatched and lost; with it the broker returns the message and the
/// relay retries it, then parks it.
/// </summary>
internal sealed class RabbitMqPublisher(IBus bus) : ITransportPublisher
{
    public async Task PublishAsync(OutgoingMessage message, CancellationToken cancellationToken)
    {
        var (type, payload) = Read(message);
        try
        {
            await bus.Publish(payload, type, context =>
            {
                context.Mandatory = true;
                context.MessageId = message.MessageId;
                context.Headers.Set(OutboxHeaders.PartitionKey, message.PartitionKey);
                context.Headers.Set(OutboxHeaders.OccurredAt, message.CreatedAt.ToString("O"));
            }, cancellationToken);
        }
        catch (MessageReturnedException exception)
        {
            throw new PublishRefusedException(
                $"RabbitMQ returned {type.Name} as unroutable: no queue is bound to receive it (its consumers have not started " +
                "yet, or nothing consumes it).", exception);
        }
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
