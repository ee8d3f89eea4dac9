using System.Diagnostics;
using System.Text;
using ConcertBooking.Messaging.Publishing;
using Confluent.Kafka;

namespace ConcertBooking.Messaging.Kafka;

/// <summary>
/// The relay's Kafka seam: one record per outbox row on the topic of its type, keyed by the partition key so that a
/// key's events share a partition and keep their order. Returns only after the delivery report (acks=all).
/// </summary>
internal sealed class KafkaPublisher(KafkaProducerHost producer, KafkaTopics topics, KafkaTopicAdmin admin) : ITransportPublisher
{
    public async Task PublishAsync(OutgoingMessage message, CancellationToken cancellationToken)
    {
        var topic = topics.ForOutboxType(message.MessageType);
        await admin.EnsureAsync([topic, topics.DeadLetter(topic)], cancellationToken);

        var headers = new Headers
        {
            { KafkaHeaders.MessageId, Encoding.UTF8.GetBytes(message.MessageId.ToString()) },
            { KafkaHeaders.MessageType, Encoding.UTF8.GetBytes(message.MessageType) },
            { KafkaHeaders.ContentType, "application/json"u8.ToArray() },
        };
        // The relay's activity continues the writer's trace; without one, the writer's own traceparent is passed on.
        if ((Activity.Current?.Id ?? message.TraceParent) is { } traceParent)
        {
            headers.Add(KafkaHeaders.TraceParent, Encoding.UTF8.GetBytes(traceParent));
        }

        // From here the record is the client's, and it is followed to its delivery report whatever the relay's deadline
        // (MessageTimeout is shorter than it, KafkaDeliveryTimeoutValidation): abandoned while still queued, it could be
        // delivered after the key's next event, published meanwhile by another relay, and outlive it on a compacted topic.
        cancellationToken.ThrowIfCancellationRequested();
        try
        {
            await producer.Producer.ProduceAsync(topic, new Message<string?, byte[]>
            {
                Key = message.PartitionKey,
                Value = Encoding.UTF8.GetBytes(message.Body),
                Headers = headers,
                Timestamp = new Timestamp(message.CreatedAt),
            }, CancellationToken.None);
        }
        catch (ProduceException<string?, byte[]> exception) when (KafkaPublishFailures.IsRefusal(exception.Error.Code))
        {
            throw new PublishRefusedException($"Kafka refused the record for topic {topic}: {exception.Error.Code} {exception.Error.Reason}", exception);
        }

        // Any other failure (cluster unreachable, delivery timeout) propagates as it is: the relay retries the row, without limit.
    }
}
