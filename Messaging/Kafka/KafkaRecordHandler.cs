using System.Diagnostics;
using System.Text;
using System.Text.Json;
using Confluent.Kafka;
using MassTransit;
using MassTransit.Mediator;
using Headers = Confluent.Kafka.Headers;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ConcertBooking.Messaging.Kafka;

/// <summary>
/// Runs one record through the service's MassTransit consumers, by the mediator, whose pipe carries the same inbox
/// and retry policy as a RabbitMQ receive endpoint. A record that cannot be read, or whose handling still fails after
/// the retries, goes to the dead-letter topic with the reason; either way the partition moves on.
/// </summary>
internal sealed partial class KafkaRecordHandler(
    IMediator mediator,
    KafkaSubscriptions subscriptions,
    KafkaDeadLetters deadLetters,
    ILogger<KafkaRecordHandler> logger)
{
    public async Task HandleAsync(ConsumeResult<string?, byte[]> record, CancellationToken cancellationToken)
    {
        if (!TryRead(record, out var message, out var messageType, out var messageId, out var problem))
        {
            LogMalformed(logger, record.Topic, record.Partition.Value, record.Offset.Value, problem.Message);
            await deadLetters.WriteAsync(record, problem, cancellationToken);
            return;
        }

        using var activity = MessagingMetrics.ActivitySource.StartActivity(
            "kafka consume", ActivityKind.Consumer, Header(record, KafkaHeaders.TraceParent));
        activity?.SetTag("messaging.message.id", messageId);
        activity?.SetTag("messaging.destination.name", record.Topic);
        try
        {
            // Completes when the consumer's transaction (with its inbox row) has committed; throws once retries are spent.
            await mediator.Send(message, messageType, context =>
            {
                context.MessageId = messageId;
                // The producer stamps each record with its outbox write time: the inbox measures replication lag from it.
                context.Headers.Set(MessageHeaders.OccurredAt, record.Message.Timestamp.UtcDateTime.ToString("O"));
                if (record.Message.Key is { } key)
                {
                    context.Headers.Set(MessageHeaders.PartitionKey, key);
                }
            }, cancellationToken);
        }
        catch (Exception exception) when (!cancellationToken.IsCancellationRequested)
        {
            // Not swallowed: the record and the exception go to the dead-letter topic for an operator to replay.
            LogFailed(logger, exception, messageId, record.Topic, record.Partition.Value, record.Offset.Value);
            await deadLetters.WriteAsync(record, exception, cancellationToken);
        }
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
            : topicTypes.FirstOrDefault(t => MessageTypes.NameOf(t) == typeName);
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

/// <summary>A record whose body or headers cannot be read: retrying cannot help, it goes to the dead-letter topic at once.</summary>
public sealed class MalformedMessageException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>A record of a type this service does not know or does not consume.</summary>
public sealed class UnknownMessageTypeException(string message) : Exception(message);

/// <summary>Writes a failed record to <c>&lt;topic&gt;.dlt</c>: same key, value and headers, plus the reason and origin.</summary>
internal sealed partial class KafkaDeadLetters(
    KafkaProducerHost producer,
    KafkaTopics topics,
    IOptions<MessagingOptions> options,
    TimeProvider timeProvider,
    ILogger<KafkaDeadLetters> logger)
{
    private readonly KafkaOptions _options = options.Value.Kafka;
    private readonly string _groupId = options.Value.Kafka.GroupId ?? options.Value.ServiceName;

    public async Task WriteAsync(ConsumeResult<string?, byte[]> record, Exception reason, CancellationToken cancellationToken)
    {
        var headers = new Headers();
        foreach (var header in record.Message.Headers ?? [])
        {
            headers.Add(header.Key, header.GetValueBytes());
        }

        Add(headers, KafkaHeaders.ExceptionType, reason.GetType().FullName ?? reason.GetType().Name);
        Add(headers, KafkaHeaders.ExceptionMessage, reason.Message.Length <= 4000 ? reason.Message : reason.Message[..4000]);
        Add(headers, KafkaHeaders.OriginalTopic, record.Topic);
        Add(headers, KafkaHeaders.OriginalPartition, record.Partition.Value.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Add(headers, KafkaHeaders.OriginalOffset, record.Offset.Value.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Add(headers, KafkaHeaders.ConsumerGroup, _groupId);
        Add(headers, KafkaHeaders.FailedAt, timeProvider.GetUtcNow().ToString("O", System.Globalization.CultureInfo.InvariantCulture));
        var deadLetter = new Message<string?, byte[]> { Key = record.Message.Key, Value = record.Message.Value ?? [], Headers = headers };
        var topic = topics.DeadLetter(record.Topic);

        // The partition's offset moves past the record only once its dead letter is confirmed, so it is never lost;
        // until then the partition waits (cancelled on revoke or shutdown, and the record comes again).
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await producer.Producer.ProduceAsync(topic, deadLetter, cancellationToken);
                return;
            }
            catch (ProduceException<string?, byte[]> exception)
            {
                LogDeadLetterFailed(logger, exception, topic, attempt);
                await Task.Delay(_options.DeadLetterRetryDelay, timeProvider, cancellationToken);
            }
        }
    }

    private static void Add(Headers headers, string name, string value) => headers.Add(name, Encoding.UTF8.GetBytes(value));

    [LoggerMessage(Level = LogLevel.Warning, Message = "Writing to dead-letter topic {Topic} failed (attempt {Attempt}); retrying")]
    private static partial void LogDeadLetterFailed(ILogger logger, Exception exception, string topic, int attempt);
}
