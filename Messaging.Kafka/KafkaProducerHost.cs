using Confluent.Kafka;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ConcertBooking.Messaging.Kafka;

/// <summary>
/// The one producer of a process, shared by the relay and the dead-letter writer: idempotent with acks=all, so a
/// retried send is written once and in order per partition, and a delivery report means every in-sync replica has it.
/// </summary>
internal sealed class KafkaProducerHost : IDisposable
{
    private readonly ILogger<KafkaProducerHost> _logger;

    public KafkaProducerHost(IOptions<KafkaOptions> options, ILogger<KafkaProducerHost> logger)
    {
        _logger = logger;
        var config = KafkaClientConfig.Apply(new ProducerConfig
        {
            EnableIdempotence = true,
            Acks = Acks.All,
            MessageTimeoutMs = (int)options.Value.MessageTimeout.TotalMilliseconds,
            LingerMs = 2,
        }, options.Value);
        Producer = new ProducerBuilder<string?, byte[]>(config)
            .SetErrorHandler((_, error) => KafkaClientLog.Error(_logger, "producer", error))
            .SetLogHandler((_, message) => KafkaClientLog.Native(_logger, message))
            .Build();
    }

    public IProducer<string?, byte[]> Producer { get; }

    public void Dispose()
    {
        // Records still queued were not confirmed, so their outbox rows are still pending: nothing is lost here.
        Producer.Flush(TimeSpan.FromSeconds(5));
        Producer.Dispose();
    }
}
