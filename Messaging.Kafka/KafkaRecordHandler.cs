using System.Diagnostics;
using System.Text;
using System.Text.Json;
using ConcertBooking.Messaging.Diagnostics;
using ConcertBooking.Messaging.Inbox;
using ConcertBooking.Messaging.Publishing;
using Confluent.Kafka;
using MassTransit;
using MassTransit.Mediator;
using Microsoft.Extensions.Logging;

namespace ConcertBooking.Messaging.Kafka;

/// <summary>
/// Runs one record through the service's MassTransit consumers, by the mediator, whose pipe carries the same inbox
/// and retry policy as a RabbitMQ receive endpoint. A record that cannot be read, or whose handling still fails after
/// the retries, goes to the dead-letter topic with the reason; either way the partition moves on.
/// </summary>
internal sealed partial class KafkaRecordHandler(
    IMediator mediator,
    IInboxBatches batches,
    KafkaSubscriptions subscriptions,
    KafkaDeadLetterWriter deadLetters,
    ILogger<KafkaRecordHandler> logger)
{
    /// <summary>
    /// Records of one partition, in offset order: several in one transaction (<see cref="TryHandleTogetherAsync"/>), or
    /// one by one, a lone one and those of a batch that rolled back, where a failing one is retried and dead-lettered alone.
    /// </summary>
    /// <param name="handled">Told of each record once it is committed or dead-lettered.</param>
    public async Task HandleAsync(
        IReadOnlyList<ConsumeResult<string?, byte[]>> records, Action<ConsumeResult<string?, byte[]>> handled, CancellationToken cancellationToken)
    {
        if (records.Count > 1 && await TryHandleTogetherAsync(records, cancellationToken))
        {
            handled(records[^1]);
            return;
        }

        foreach (var record in records)
        {
            await HandleAsync(record, cancellationToken);
            handled(record);
        }
    }

    public async Task HandleAsync(ConsumeResult<string?, byte[]> record, CancellationToken cancellationToken)
    {
        if (!TryRead(record, out var message, out var messageType, out var messageId, out var problem))
        {
            LogMalformed(logger, record.Topic, record.Partition.Value, record.Offset.Value, problem.Message);
            await deadLetters.WriteAsync(record, problem, cancellationToken);
            return;
        }

        try
        {
            // Completes when the consumer's transaction (with its inbox row) has committed; throws once retries are spent.
            await SendAsync(record, message, messageType, messageId, cancellationToken);
        }
        catch (Exception exception) when (!cancellationToken.IsCancellationRequested)
        {
            // Not swallowed: the record and the exception go to the dead-letter topic for an operator to replay.
            LogFailed(logger, exception, messageId, record.Topic, record.Partition.Value, record.Offset.Value);
            await deadLetters.WriteAsync(record, exception, cancellationToken);
        }
    }

    /// <summary>
    /// Records of one partition, in offset order, in one transaction; false, with everything rolled back, when one cannot
    /// be read or one fails.
    /// </summary>
    private async Task<bool> TryHandleTogetherAsync(IReadOnlyList<ConsumeResult<string?, byte[]>> records, CancellationToken cancellationToken)
    {
        var readable = new List<(ConsumeResult<string?, byte[]> Record, object Message, Type Type, Guid Id)>(records.Count);
        foreach (var record in records)
        {
            if (!TryRead(record, out var message, out var messageType, out var messageId, out _))
            {
                return false;
            }

            readable.Add((record, message, messageType, messageId));
        }

        return await batches.TryRunTogetherAsync(async (batch, token) =>
        {
            foreach (var (record, message, type, id) in readable)
            {
                if (batch.Failed)
                {
                    return;
                }

                await SendAsync(record, message, type, id, token);
            }
        }, cancellationToken);
    }

    private async Task SendAsync(ConsumeResult<string?, byte[]> record, object message, Type messageType, Guid messageId, CancellationToken cancellationToken)
    {
        using var activity = MessagingMetrics.ActivitySource.StartActivity(
            "kafka consume", ActivityKind.Consumer, Header(record, KafkaHeaders.TraceParent));
        activity?.SetTag("messaging.message.id", messageId);
        activity?.SetTag("messaging.destination.name", record.Topic);
        await mediator.Send(message, messageType, context =>
        {
            context.MessageId = messageId;
            // The producer stamps each record with its outbox write time: the inbox measures replication lag from it.
            context.Headers.Set(OutboxHeaders.OccurredAt, record.Message.Timestamp.UtcDateTime.ToString("O"));
            if (record.Message.Key is { } key)
            {
                context.Headers.Set(OutboxHeaders.PartitionKey, key);
            }
        }, cancellationToken);
    }

    private bool TryRead(ConsumeResult<string?, byte[]> record, out object message, out Type messageType, out Guid messageId, out Exception problem)
    {
        message = null!;
        messageType = null!;
        messageId = Guid.Empty;
        if (!subscriptions.MessageTypes.TryGetValue(record.Topic, out var topicTypes))
        {
            problem = new UnknownMessageTypeException($"No consumer in this service reads topic '{record.Topic}'.");
            return false;
        }

        // The header names the CLR type, as in the outbox; a record without it is read as the topic's only type.
        var typeName = Header(record, KafkaHeaders.MessageType);
        // Matched against the consumed types only: a header never makes this process load a type by name.
        var resolved = typeName is null
            ? topicTypes.Count == 1 ? topicTypes[0] : null
            : topicTypes.FirstOrDefault(t => MessageTypeNames.Of(t) == typeName);
        if (resolved is null)
        {
            problem = new UnknownMessageTypeException(
                $"Message type '{typeName}' is unknown here or not consumed from topic '{record.Topic}' ({string.Join(", ", topicTypes.Select(t => t.Name))}).");
            return false;
        }

        if (!Guid.TryParse(Header(record, KafkaHeaders.MessageId), out messageId))
        {
            problem = new MalformedMessageException($"The record has no valid '{KafkaHeaders.MessageId}' header, so it cannot be deduplicated.");
            return false;
        }

        try
        {
            message = JsonSerializer.Deserialize(record.Message.Value, resolved, MessageSerialization.Options)
                ?? throw new JsonException("The body is JSON null.");
        }
        catch (JsonException exception)
        {
            problem = new MalformedMessageException($"The body is not a valid {resolved.Name}: {exception.Message}", exception);
            return false;
        }

        messageType = resolved;
        problem = null!;
        return true;
    }

    internal static string? Header(ConsumeResult<string?, byte[]> record, string name) =>
        record.Message.Headers is { } headers && headers.TryGetLastBytes(name, out var value) ? Encoding.UTF8.GetString(value) : null;

    [LoggerMessage(Level = LogLevel.Warning, Message = "Malformed Kafka record {Topic}[{Partition}]@{Offset}: {Reason}; sent to the dead-letter topic")]
    private static partial void LogMalformed(ILogger logger, string topic, int partition, long offset, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "Message {MessageId} from {Topic}[{Partition}]@{Offset} failed after its retries; sent to the dead-letter topic")]
    private static partial void LogFailed(ILogger logger, Exception exception, Guid messageId, string topic, int partition, long offset);
}
