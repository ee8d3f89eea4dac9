using System.Text;
using Confluent.Kafka;

namespace ConcertBooking.Tests.Infrastructure;

/// <summary>Records written and topics looked at from outside the services, on any Kafka cluster (the in-process mock, the dev broker, a real one).</summary>
public static class KafkaRecords
{
    /// <summary>Writes a record as any producer could, bypassing the outbox: how tests inject poison.</summary>
    public static async Task ProduceRawAsync(
        string bootstrapServers, string topic, int partition, string key, byte[] value, IReadOnlyDictionary<string, string> headers)
    {
        using var producer = new ProducerBuilder<string, byte[]>(new ProducerConfig { BootstrapServers = bootstrapServers }).Build();
        var kafkaHeaders = new Headers();
        foreach (var (name, headerValue) in headers)
        {
            kafkaHeaders.Add(name, Encoding.UTF8.GetBytes(headerValue));
        }

        await producer.ProduceAsync(new TopicPartition(topic, partition),
            new Message<string, byte[]> { Key = key, Value = value, Headers = kafkaHeaders });
    }

    /// <summary>How many partitions a topic has (0 when it does not exist).</summary>
    public static int PartitionCount(string bootstrapServers, string topic)
    {
        using var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = bootstrapServers }).Build();
        return admin.GetMetadata(topic, TimeSpan.FromSeconds(10)).Topics
            .FirstOrDefault(t => t.Topic == topic && t.Error.Code == ErrorCode.NoError)?.Partitions.Count ?? 0;
    }
}
