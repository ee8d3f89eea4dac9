using System.Diagnostics;
using System.Diagnostics.Metrics;
using ConcertBooking.Contracts;
using ConcertBooking.Messaging;
using ConcertBooking.Messaging.Kafka;
using ConcertBooking.Messaging.Publishing;
using ConcertBooking.Testing;
using Confluent.Kafka;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace ConcertBooking.Tests.Integration;

/// <summary>The relay's Kafka seam on librdkafka's mock cluster: what a publish answers when the cluster does not.</summary>
[TestFixture]
[Category(TestCategories.Integration)]
public sealed class KafkaPublisherTests
{
    [Test]
    public async Task A_record_handed_to_the_client_is_followed_to_its_delivery_report_past_the_relays_deadline()
    {
        using var cluster = new KafkaMockCluster();
        var kafka = Options.Create(new KafkaOptions
        {
            BootstrapServers = cluster.BootstrapServers, CreateTopics = false, MessageTimeout = TimeSpan.FromSeconds(2),
        });
        var topics = new KafkaTopics(kafka);
        var type = MessageTypeNames.Of(typeof(UserCreated));
        cluster.CreateTopic(topics.ForOutboxType(type), 1);
        await using var services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        using var producer = new KafkaProducerHost(kafka, Options.Create(new MessagingOptions()),
            new KafkaMetrics(services.GetRequiredService<IMeterFactory>(), new KafkaDeadLetterWrites()), NullLogger<KafkaProducerHost>.Instance);
        using var admin = new KafkaTopicAdmin(kafka, topics, NullLogger<KafkaTopicAdmin>.Instance);
        var publisher = new KafkaPublisher(producer, topics, admin);
        await publisher.PublishAsync(Message(type), CancellationToken.None);

        cluster.AllDown();
        using var relayDeadline = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));
        var clock = Stopwatch.StartNew();
        var failure = Assert.CatchAsync(() => publisher.PublishAsync(Message(type), relayDeadline.Token));

        Assert.That(failure, Is.InstanceOf<ProduceException<string?, byte[]>>(),
            "the client's own verdict on the record, which is no longer queued anywhere, not the relay's deadline");
        Assert.That(clock.Elapsed, Is.GreaterThan(TimeSpan.FromSeconds(1)), "waited past the relay's 200 ms for the verdict");
    }

    private static OutgoingMessage Message(string type) =>
        new(Guid.NewGuid(), type, "{}", "key", DateTimeOffset.UtcNow, null);
}
