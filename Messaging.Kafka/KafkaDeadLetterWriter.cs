using System.Globalization;
using System.Text;
using Confluent.Kafka;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ConcertBooking.Messaging.Kafka;

/// <summary>Writes a failed record to <c>&lt;topic&gt;.dlt</c>: same key, value and headers, plus the reason and origin.</summary>
internal sealed partial class KafkaDeadLetterWriter(
    KafkaProducerHost producer,
    KafkaTopics topics,
    IOptions<KafkaOptions> options,
    TimeProvider timeProvider,
    ILogger<KafkaDeadLetterWriter> logger)
{
    private readonly KafkaOptions _options = options.Value;

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
        Add(headers, KafkaHeaders.ConsumerGroup, _options.GroupId!);
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
