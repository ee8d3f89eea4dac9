namespace ConcertBooking.Messaging.Kafka;

/// <summary>Header names of a Kafka record; the key is the partition key, the value the JSON body.</summary>
public static class KafkaHeaders
{
    public const string MessageId = "message-id";
    public const string MessageType = "message-type";
    public const string ContentType = "content-type";
    public const string TraceParent = "traceparent";
    public const string ExceptionType = "dlt-exception-type";
    public const string ExceptionMessage = "dlt-exception-message";
    public const string OriginalTopic = "dlt-original-topic";
    public const string OriginalPartition = "dlt-original-partition";
    public const string OriginalOffset = "dlt-original-offset";
    public const string ConsumerGroup = "dlt-consumer-group";
    public const string FailedAt = "dlt-failed-at";
}
