using Confluent.Kafka;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ConcertBooking.Messaging.Kafka;

/// <summary>
/// The one producer of a process, shared by the relay and the dead-letter writer and reader: idempotent with acks=all,
/// so a retried send is written once and in order per partition, and a delivery report means every in-sync replica has
/// it. A fatal error (a broken idempotence guarantee) leaves a producer that refuses all further work, so it is replaced
/// on next use: its unconfirmed records fail, their outbox rows stay pending, and the relay sends them again on the new one.
/// </summary>
internal sealed partial class KafkaProducerHost : IDisposable
{
    private readonly KafkaOptions _options;
    private readonly TimeSpan _publishTimeout;
    private readonly KafkaMetrics _metrics;
    private readonly ILogger<KafkaProducerHost> _logger;
    private readonly Lock _gate = new();
    private IProducer<string?, byte[]> _producer;
    private volatile bool _failed;

    public KafkaProducerHost(IOptions<KafkaOptions> options, IOptions<MessagingOptions> messaging, KafkaMetrics metrics, ILogger<KafkaProducerHost> logger)
    {
        _options = options.Value;
        _publishTimeout = messaging.Value.Outbox.PublishTimeout;
        _metrics = metrics;
        _logger = logger;
        _producer = Build();
    }

    public IProducer<string?, byte[]> Producer
    {
        get
        {
            if (!_failed)
            {
                return _producer;
            }

            lock (_gate)
            {
                if (_failed)
                {
                    var failed = _producer;
                    _producer = Build();
                    _failed = false;
                    _metrics.ProducerRebuilt();
                    LogRebuilt(_logger);
                    // Off the caller's path: disposing waits for librdkafka's threads, and the old producer has nothing left to deliver.
                    _ = Task.Run(failed.Dispose);
                }

                return _producer;
            }
        }
    }

    private ProducerConfig Config() => KafkaClientConfig.Apply(new ProducerConfig
    {
        EnableIdempotence = true,
        Acks = Acks.All,
        MessageTimeoutMs = (int)_options.MessageTimeout.TotalMilliseconds,
        // A lone event leaves at once; under load records still share requests, queuing behind the five in flight that
        // idempotence allows. On the dev broker 2 ms of linger cost one signup at a time 2 ms (p90 11.9-12.3 -> 9.8-10.0 ms)
        // and bought no relay throughput (50,000 rows: 22,535 / 21,434 -> 23,662 / 24,299 per s). Messaging:Kafka:Client:linger.ms overrides it.
        LingerMs = 0,
        // A topic missing from the metadata fails its records with "unknown topic" after this long. Within the relay's
        // publish timeout, that failure reaches the relay as a refusal (it parks the row) instead of as a timeout.
        TopicMetadataPropagationMaxMs = (int)Math.Clamp(_publishTimeout.TotalMilliseconds / 2, 1, 30_000),
    }, _options);

    private IProducer<string?, byte[]> Build()
    {
        IProducer<string?, byte[]>? built = null;
        built = new ProducerBuilder<string?, byte[]>(Config())
            .SetErrorHandler((_, error) =>
            {
                KafkaClientLog.Error(_logger, "producer", error);
                // Only the producer in use is replaced; a late report of one already replaced changes nothing.
                if (error.IsFatal && ReferenceEquals(built, _producer))
                {
                    _failed = true;
                }
            })
            .SetLogHandler((_, message) => KafkaClientLog.Native(_logger, message))
            .Build();
        return built;
    }

    public void Dispose()
    {
        // Records still queued were not confirmed, so their outbox rows are still pending: nothing is lost here.
        _producer.Flush(TimeSpan.FromSeconds(5));
        _producer.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Kafka producer replaced after a fatal error; its unconfirmed records are sent again from the outbox")]
    private static partial void LogRebuilt(ILogger logger);
}
