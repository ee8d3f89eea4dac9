namespace ConcertBooking.AppHost;

/// <summary>The broker the services publish and consume on: the services' <c>Messaging:Transport</c>.</summary>
public enum ServiceTransport
{
    RabbitMq,

    /// <summary>A Kafka cluster the AppHost does not start: <see cref="KafkaSettings"/> says where it is.</summary>
    Kafka,
}
