using System.Globalization;
using System.Text;
using ConcertBooking.Messaging.Operations;
using Microsoft.Extensions.Options;
using RabbitMQ.Client;

namespace ConcertBooking.Messaging.RabbitMq;

/// <summary>
/// MassTransit moves a message that failed every retry to <c>&lt;queue&gt;_error</c>, with the exception in
/// <c>MT-Fault-*</c> headers. Listing peeks (unacknowledged gets, returned when the channel closes); replaying
/// publishes the original back to its queue with a broker confirm and only then acknowledges the dead letter,
/// so a failure in between leaves it where it was: never lost, at worst replayed twice (the inbox absorbs that).
/// </summary>
internal sealed class RabbitMqDeadLetters(IOptions<RabbitMqOptions> options, IOptions<MessagingOptions> messaging, ReceiveEndpoints endpoints) : IDeadLetters
{
    private const string ErrorSuffix = "_error";

    public async Task<IReadOnlyList<DeadLetter>> ListAsync(int max, CancellationToken cancellationToken)
    {
        await using var connection = await ConnectAsync(cancellationToken);
        var found = new List<DeadLetter>();
        foreach (var queue in endpoints.Names)
        {
            await using var channel = await connection.CreateChannelAsync(cancellationToken: cancellationToken);
            if (!await ExistsAsync(connection, queue + ErrorSuffix, cancellationToken))
            {
                continue;
            }

            while (found.Count < max && await channel.BasicGetAsync(queue + ErrorSuffix, autoAck: false, cancellationToken) is { } message)
            {
                found.Add(Describe(queue, message));
            }

            // Closing the channel returns every peeked message to the error queue.
        }

        return found;
    }

    public async Task<ReplayResult> ReplayAsync(Guid? messageId, CancellationToken cancellationToken)
    {
        await using var connection = await ConnectAsync(cancellationToken);
        var replayed = 0;
        foreach (var queue in endpoints.Names)
        {
            if (!await ExistsAsync(connection, queue + ErrorSuffix, cancellationToken))
            {
                continue;
            }

            await using var channel = await connection.CreateChannelAsync(
                new CreateChannelOptions(publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true),
                cancellationToken);
            var available = (await channel.QueueDeclarePassiveAsync(queue + ErrorSuffix, cancellationToken)).MessageCount;
            for (var i = 0; i < available; i++)
            {
                if (await channel.BasicGetAsync(queue + ErrorSuffix, autoAck: false, cancellationToken) is not { } message)
                {
                    break;
                }

                if (messageId is { } wanted && MessageIdOf(message) != wanted)
                {
                    continue; // stays unacknowledged, returned to the error queue when the channel closes
                }

                var properties = new BasicProperties(message.BasicProperties)
                {
                    Headers = message.BasicProperties.Headers?
                        .Where(h => !h.Key.StartsWith("MT-Fault-", StringComparison.Ordinal) && h.Key != "MT-Reason")
                        .ToDictionary(h => h.Key, h => h.Value),
                };
                // MassTransit binds an exchange of the queue's own name to each queue.
                await channel.BasicPublishAsync(queue, routingKey: "", mandatory: true, properties, message.Body, cancellationToken);
                await channel.BasicAckAsync(message.DeliveryTag, multiple: false, cancellationToken);
                replayed++;
            }
        }

        return new ReplayResult(replayed, Superseded: 0); // a queue keeps no state per key for a replay to overwrite
    }

    private async Task<IConnection> ConnectAsync(CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var factory = new ConnectionFactory
        {
            HostName = settings.Host,
            Port = settings.Port,
            VirtualHost = settings.VirtualHost,
            UserName = settings.Username,
            Password = settings.Password,
            ClientProvidedName = $"{messaging.Value.ServiceName}-ops",
        };
        try
        {
            return await factory.CreateConnectionAsync(cancellationToken);
        }
        catch (RabbitMQ.Client.Exceptions.BrokerUnreachableException exception)
        {
            throw new DeadLettersUnavailableException($"RabbitMQ is unreachable ({exception.InnerException?.Message ?? exception.Message}); nothing was replayed: ask again.", exception);
        }
    }

    private static async Task<bool> ExistsAsync(IConnection connection, string queue, CancellationToken cancellationToken)
    {
        // A passive declare of a missing queue closes its channel, so it gets a channel of its own.
        await using var probe = await connection.CreateChannelAsync(cancellationToken: cancellationToken);
        try
        {
            await probe.QueueDeclarePassiveAsync(queue, cancellationToken);
            return true;
        }
        catch (RabbitMQ.Client.Exceptions.OperationInterruptedException)
        {
            return false;
        }
    }

    private static DeadLetter Describe(string queue, BasicGetResult message) => new(
        MessageIdOf(message),
        queue,
        Header(message, "MT-MessageType") ?? message.BasicProperties.Type,
        Header(message, "MT-Fault-ExceptionType"),
        Header(message, "MT-Fault-Message"),
        DateTimeOffset.TryParse(Header(message, "MT-Fault-Timestamp"), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at)
            ? at
            : null);

    private static Guid? MessageIdOf(BasicGetResult message) =>
        Guid.TryParse(message.BasicProperties.MessageId, out var id) ? id : null;

    private static string? Header(BasicGetResult message, string name) =>
        message.BasicProperties.Headers?.TryGetValue(name, out var value) == true
            ? value switch
            {
                byte[] bytes => Encoding.UTF8.GetString(bytes),
                null => null,
                _ => Convert.ToString(value, CultureInfo.InvariantCulture),
            }
            : null;
}
