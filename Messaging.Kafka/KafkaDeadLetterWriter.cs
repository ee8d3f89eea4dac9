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
    KafkaDeadLetterWrites writes,
    KafkaMetrics metrics,
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
        // until then the partition waits (cancelled on revoke or shutdown, and the record comes again). The waits grow to
        // DeadLetterRetryMaxDelay, and the failing write shows in /health and kafka.dead_letter.* while it lasts.
        var since = timeProvider.GetUtcNow();
        try
        {
            for (var attempt = 1; ; attempt++)
            {
                try
                {
                    await producer.Producer.ProduceAsync(topic, deadLetter, cancellationToken);
                    return;
                }
                catch (KafkaException exception)
                {
                    var delay = Backoff(_options, attempt);
                    writes.Failed(record.TopicPartitionOffset, new FailingWrite(topic, record.TopicPartitionOffset.ToString(), since, attempt,
                        $"{exception.Error.Code}: {exception.Error.Reason}"));
                    metrics.DeadLetterWriteFailed(topic);
                    LogDeadLetterFailed(logger, exception, topic, attempt, delay);
                    await Task.Delay(delay, timeProvider, cancellationToken);
                }
            }
        }
        finally
        {
            writes.Finished(record.TopicPartitionOffset);
        }
    }

    /// <summary>Doubles from <see cref="KafkaOptions.DeadLetterRetryDelay"/> after each failure, up to <see cref="KafkaOptions.DeadLetterRetryMaxDelay"/>.</summary>
    internal static TimeSpan Backoff(KafkaOptions options, int attempt)
    {
        var delay = options.DeadLetterRetryDelay * Math.Pow(2, Math.Min(attempt - 1, 30));
        return delay < options.DeadLetterRetryMaxDelay ? delay : options.DeadLetterRetryMaxDelay;
    }

    private static void Add(Headers headers, string name, string value) => headers.Add(name, Encoding.UTF8.GetBytes(value));

    [LoggerMessage(Level = LogLevel.Warning, Message = "Writing to dead-letter topic {Topic} failed (attempt {Attempt}); its partition waits, retrying in {Delay}")]
    private static partial void LogDeadLetterFailed(ILogger logger, Exception exception, string topic, int attempt, TimeSpan delay);
}
