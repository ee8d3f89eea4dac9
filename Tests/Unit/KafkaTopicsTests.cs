using ConcertBooking.Contracts;
using ConcertBooking.Messaging;
using ConcertBooking.Messaging.Kafka;
using Microsoft.Extensions.Options;

namespace ConcertBooking.Tests.Unit;

[TestFixture]
[Category(TestCategories.Unit)]
public sealed class KafkaTopicsTests
{
    [TestCase("UserCreated", "user.created")]
    [TestCase("UserDeleted", "user.deleted")]
    [TestCase("QueueTokenAdmitted", "queue.token.admitted")]
    [TestCase("HTTPRequestFailed", "http.request.failed")]
    [TestCase("Ping", "ping")]
    public void A_type_name_becomes_dot_separated_lower_case_words(string typeName, string topic) =>
        Assert.That(KafkaTopics.Derive(typeName), Is.EqualTo(topic));

    [Test]
    public void Overrides_and_the_prefix_apply_to_types_and_to_outbox_type_names_alike()
    {
        var topics = new KafkaTopics(Options.Create(new MessagingOptions
        {
            ServiceName = "concert",
            Kafka = new KafkaOptions { TopicPrefix = "staging.", Topics = { ["UserUpdated"] = "user.events" } },
        }));

        Assert.Multiple(() =>
        {
            Assert.That(topics.For(typeof(UserCreated)), Is.EqualTo("staging.user.created"));
            Assert.That(topics.For(typeof(UserUpdated)), Is.EqualTo("staging.user.events"));
            Assert.That(topics.ForOutboxType(MessageTypes.NameOf(typeof(UserUpdated))), Is.EqualTo("staging.user.events"));
            Assert.That(topics.ForOutboxType(MessageTypes.NameOf(typeof(UserDeleted))), Is.EqualTo("staging.user.deleted"));
            Assert.That(topics.DeadLetter("staging.user.created"), Is.EqualTo("staging.user.created.dlt"));
        });
    }
}

[TestFixture]
[Category(TestCategories.Unit)]
public sealed class KafkaOptionsValidationTests
{
    [Test]
    public void Nested_Kafka_settings_are_validated_when_Kafka_is_the_transport()
    {
        var validation = new KafkaOptionsValidation();
        var invalid = new MessagingOptions
        {
            Transport = MessagingTransport.Kafka,
            ServiceName = "concert",
            Kafka = new KafkaOptions { Partitions = 0, SessionTimeout = TimeSpan.FromSeconds(3), HeartbeatInterval = TimeSpan.FromSeconds(3) },
        };

        var result = validation.Validate(null, invalid);

        Assert.Multiple(() =>
        {
            Assert.That(result.Failed, Is.True);
            Assert.That(result.FailureMessage, Does.Contain("Partitions").And.Contain("HeartbeatInterval"));
            Assert.That(validation.Validate(null, new MessagingOptions { Transport = MessagingTransport.Kafka, ServiceName = "x" }).Succeeded, Is.True);
            Assert.That(validation.Validate(null, new MessagingOptions { Transport = MessagingTransport.RabbitMq, Kafka = invalid.Kafka }).Skipped, Is.True);
        });
    }
}
