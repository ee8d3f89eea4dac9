using ConcertBooking.Contracts;
using ConcertBooking.Messaging.Hosting;
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
    public void The_user_events_share_the_user_stream_and_other_events_keep_a_topic_each()
    {
        var topics = SystemTopology.KafkaTopics(new KafkaOptions { TopicPrefix = "staging." });

        Assert.Multiple(() =>
        {
            foreach (var type in new[] { typeof(UserCreated), typeof(UserUpdated), typeof(UserDeleted) })
            {
                Assert.That(topics.For(type), Is.EqualTo("staging.user.events"), type.Name);
                Assert.That(topics.ForOutboxType(MessageTypeNames.Of(type)), Is.EqualTo("staging.user.events"), type.Name);
            }

            Assert.That(topics.For(typeof(ReservationCreated)), Is.EqualTo("staging.reservation.created"));
            Assert.That(SystemTopology.KafkaRoutes.Single().MessageTypes, Is.EquivalentTo(new[] { typeof(UserCreated), typeof(UserUpdated), typeof(UserDeleted) }),
                "every IUserEvent, found by its interface");
        });
    }

    [Test]
    public void The_user_stream_is_created_compacted_and_its_dead_letters_and_other_topics_are_not()
    {
        var topics = SystemTopology.KafkaTopics(new KafkaOptions { TopicPrefix = "staging.", Partitions = 12, ReplicationFactor = 3 });

        var stream = topics.Specification("staging.user.events");
        Assert.Multiple(() =>
        {
            Assert.That(stream.Configs, Is.EqualTo(new Dictionary<string, string> { ["cleanup.policy"] = "compact" }));
            Assert.That((stream.NumPartitions, stream.ReplicationFactor), Is.EqualTo((12, (short)3)));
            Assert.That(topics.CleanupPolicy("staging.user.events"), Is.EqualTo(KafkaCleanupPolicy.Compact));
            Assert.That(topics.Specification("staging.user.events.dlt").Configs, Does.Not.ContainKey("cleanup.policy"));
            Assert.That(topics.CleanupPolicy("staging.user.events.dlt"), Is.EqualTo(KafkaCleanupPolicy.Delete));
            foreach (var other in new[] { "staging.reservation.created", "user.events" })
            {
                Assert.That(topics.Specification(other).Configs, Is.Null, other);
                Assert.That(topics.CleanupPolicy(other), Is.EqualTo(KafkaCleanupPolicy.Delete), other);
            }
        });
    }

    [Test]
    public void A_topic_setting_takes_a_type_off_its_route()
    {
        var topics = SystemTopology.KafkaTopics(new KafkaOptions { Topics = { ["UserCreated"] = "user.created" } });

        Assert.Multiple(() =>
        {
            Assert.That(topics.For(typeof(UserCreated)), Is.EqualTo("user.created"));
            Assert.That(topics.For(typeof(UserUpdated)), Is.EqualTo("user.events"));
            Assert.That(topics.CleanupPolicy("user.created"), Is.EqualTo(KafkaCleanupPolicy.Delete));
        });
    }

    [Test]
    public void Every_topic_the_system_uses_is_listed_once_with_its_dead_letter_topic()
    {
        var all = SystemTopology.KafkaTopics(new KafkaOptions()).All(SystemTopology.Messages);

        Assert.Multiple(() =>
        {
            Assert.That(all, Is.Unique);
            Assert.That(all, Does.Contain("user.events").And.Contain("user.events.dlt"));
            Assert.That(all, Does.Contain("reservation.created").And.Contain("reservation.created.dlt").And.Contain("payment.completed"));
            Assert.That(all, Has.None.EqualTo("user.created"), "user events travel on the stream only");
            Assert.That(all.Where(t => !t.EndsWith(".dlt", StringComparison.Ordinal)).Select(t => t + ".dlt"), Is.SubsetOf(all));
        });
    }

    [Test]
    public void A_type_routed_to_two_topics_is_refused()
    {
        KafkaTopicRoute[] routes =
        [
            KafkaTopicRoute.ForAll<IUserEvent>("user.events", KafkaCleanupPolicy.Compact),
            new("created", [typeof(UserCreated)], KafkaCleanupPolicy.Delete),
        ];

        Assert.That(() => new KafkaTopics(Options.Create(new KafkaOptions()), routes),
            Throws.ArgumentException.With.Message.Contains("UserCreated"));
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
