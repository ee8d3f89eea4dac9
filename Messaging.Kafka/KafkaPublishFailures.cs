using Confluent.Kafka;

namespace ConcertBooking.Messaging.Kafka;

/// <summary>
/// Which failed deliveries are the broker refusing the record itself (the relay parks such a row after its attempts),
/// as opposed to the cluster being unreachable or slow (the relay waits that out, however long).
/// </summary>
internal static class KafkaPublishFailures
{
    public static bool IsRefusal(ErrorCode code) => code is
        // The topic does not exist and was not created (CreateTopics refused, auto-creation off).
        ErrorCode.Local_UnknownTopic or ErrorCode.UnknownTopicOrPart or ErrorCode.Local_UnknownPartition or ErrorCode.TopicException
        // Not allowed to write it.
        or ErrorCode.TopicAuthorizationFailed or ErrorCode.ClusterAuthorizationFailed or ErrorCode.PolicyViolation
        // The record itself cannot be stored.
        or ErrorCode.MsgSizeTooLarge or ErrorCode.InvalidMsgSize or ErrorCode.RecordListTooLarge or ErrorCode.InvalidRecord;
}
