using Confluent.Kafka;

namespace ConcertBooking.Messaging.Kafka;

/// <summary>Client configurations from <see cref="KafkaOptions"/>, so producer, consumer and admin client agree.</summary>
internal static class KafkaClientConfig
{
    public static T Apply<T>(T config, KafkaOptions options) where T : ClientConfig
    {
        config.BootstrapServers = options.BootstrapServers;
        config.ClientId = options.ClientId;
        foreach (var (key, value) in options.Client)
        {
            config.Set(key, value);
        }

        return config;
    }
}
