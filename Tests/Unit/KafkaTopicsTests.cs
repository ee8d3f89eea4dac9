using ConcertBooking.Contracts;
using ConcertBooking.Messaging.Kafka;
using ConcertBooking.Messaging.Publishing;
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
        var topics = new KafkaTopics(Options.Create(new KafkaOptions
        {
            TopicPrefix = "staging.",
            Topics = { ["UserUpdated"] = "user.events" },
        }));

        Assert.Multiple(() =>
        {
            Assert.That(topics.For(typeof(UserCreated)), Is.EqualTo("staging.user.created"));
            Assert.That(topics.For(typeof(UserUpdated)), Is.EqualTo("staging.user.events"));
            Assert.That(topics.ForOutboxType(MessageTypeNames.Of(typeof(UserUpdated))), Is.EqualTo("staging.user.events"));
            Assert.That(topics.ForOutboxType(MessageTypeNames.Of(typeof(UserDeleted))), Is.EqualTo("staging.user.deleted"));
            Assert.That(topics.DeadLetter("staging.user.created"), Is.EqualTo("staging.user.created.dlt"));
        });
    }

    [Test]
    public void A_nested_message_type_gets_the_same_topic_from_its_type_and_from_its_outbox_name()
    {
        var topics = new KafkaTopics(Options.Create(new KafkaOptions()));

        Assert.Multiple(() =>
        {
            Assert.That(MessageTypeNames.Of(typeof(Envelope.SeatsReleased)), Does.Contain("+SeatsReleased"));
            Assert.That(MessageTypeNames.ShortName(MessageTypeNames.Of(typeof(Envelope.SeatsReleased))), Is.EqualTo("SeatsReleased"));
            Assert.That(topics.ForOutboxType(MessageTypeNames.Of(typeof(Envelope.SeatsReleased))), Is.EqualTo(topics.For(typeof(Envelope.SeatsReleased))));
        });
    }

    private static class Envelope
    {
        public sealed record SeatsReleased(Guid ConcertId);
    }
}
