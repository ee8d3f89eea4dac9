namespace ConcertBooking.Testing;

/// <summary>The brokers a system under test can run on: the real local RabbitMQ, or Kafka (librdkafka's mock cluster, in the test process or the dev broker's, or a real cluster).</summary>
public enum TestTransport
{
    RabbitMq,
    Kafka,
}
