namespace ConcertBooking.Tests.Infrastructure;

/// <summary>The brokers a test system can run on: the real local RabbitMQ, or Kafka (librdkafka's mock cluster or a real one).</summary>
public enum TestTransport
{
    RabbitMq,
    Kafka,
}
