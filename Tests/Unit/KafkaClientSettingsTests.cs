using ConcertBooking.Messaging;
using ConcertBooking.Messaging.Kafka;
using Confluent.Kafka;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace ConcertBooking.Tests.Unit;

/// <summary>
/// What the Kafka transport asks of the cluster and of librdkafka, where the mock cluster cannot show it: dead-letter
/// topics that keep their records, static group membership, which failures park an outbox row, bounded dead-letter retries.
/// </summary>
[TestFixture]
[Category(TestCategories.Unit)]
public sealed class KafkaClientSettingsTests
{
    [Test]
    public void Dead_letter_topics_are_created_with_unlimited_retention_and_other_topics_with_the_brokers_default()
    {
        var admin = new KafkaTopics(Options.Create(new KafkaOptions { Partitions = 3, ReplicationFactor = 2 }));

        var deadLetters = admin.Specification("user.created.dlt");
        var events = admin.Specification("user.created");

        Assert.Multiple(() =>
        {
            Assert.That(deadLetters.Configs, Does.ContainKey("retention.ms").WithValue("-1"));
            Assert.That(deadLetters.Configs, Does.ContainKey("retention.bytes").WithValue("-1"));
            Assert.That((deadLetters.NumPartitions, deadLetters.ReplicationFactor), Is.EqualTo((3, (short)2)));
            Assert.That(events.Configs, Is.Null);
        });
    }

    [Test]
    public void The_consumer_joins_its_group_as_a_static_member_named_after_its_service_and_host_unless_turned_off()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection([new("Messaging:Kafka:BootstrapServers", "127.0.0.1:1")]);
        new KafkaTransport().AddServices<DbContext>(builder, new MessagingOptions { ServiceName = "concert", Transport = "Kafka" });
        using var services = builder.Services.BuildServiceProvider();
        var options = services.GetRequiredService<IOptions<KafkaOptions>>().Value;

        var config = KafkaConsumerService.Config(options);
        options.StaticMembership = false;
        var dynamic = KafkaConsumerService.Config(options);

        Assert.Multiple(() =>
        {
            Assert.That(options.GroupInstanceId, Is.EqualTo($"concert-{Environment.MachineName}"));
            Assert.That(config.GroupInstanceId, Is.EqualTo($"concert-{Environment.MachineName}"));
            Assert.That(config.GroupId, Is.EqualTo("concert"));
            Assert.That(dynamic.GroupInstanceId, Is.Null);
        });
    }

    [Test]
    public void The_fetch_wait_is_librdkafkas_unless_set_and_a_negative_one_is_refused()
    {
        var unset = KafkaConsumerService.Config(new KafkaOptions());
        var set = KafkaConsumerService.Config(new KafkaOptions { FetchWaitMax = TimeSpan.FromMilliseconds(5) });
        var negative = new KafkaOptionsValidation().Validate(null, new KafkaOptions { FetchWaitMax = TimeSpan.FromMilliseconds(-1) });

        Assert.Multiple(() =>
        {
            Assert.That(unset.FetchWaitMaxMs, Is.Null);
            Assert.That(set.FetchWaitMaxMs, Is.EqualTo(5));
            Assert.That(negative.FailureMessage, Does.Contain("Messaging:Kafka:FetchWaitMax"));
        });
    }

    [TestCase(ErrorCode.Local_UnknownTopic, true)]
    [TestCase(ErrorCode.UnknownTopicOrPart, true)]
    [TestCase(ErrorCode.TopicAuthorizationFailed, true)]
    [TestCase(ErrorCode.MsgSizeTooLarge, true)]
    [TestCase(ErrorCode.Local_MsgTimedOut, false)]
    [TestCase(ErrorCode.Local_AllBrokersDown, false)]
    [TestCase(ErrorCode.Local_Transport, false)]
    [TestCase(ErrorCode.NotLeaderForPartition, false)]
    [TestCase(ErrorCode.Local_Fatal, false)]
    public void Only_a_record_the_cluster_refuses_can_park_its_outbox_row(ErrorCode code, bool refusal) =>
        Assert.That(KafkaPublishFailures.IsRefusal(code), Is.EqualTo(refusal));

    [Test]
    public void A_failing_dead_letter_write_is_retried_with_doubling_waits_up_to_the_maximum()
    {
        var options = new KafkaOptions { DeadLetterRetryDelay = TimeSpan.FromSeconds(1), DeadLetterRetryMaxDelay = TimeSpan.FromSeconds(10) };

        var waits = Enumerable.Range(1, 6).Select(attempt => KafkaDeadLetterWriter.Backoff(options, attempt).TotalSeconds);

        Assert.That(waits, Is.EqualTo(new[] { 1.0, 2, 4, 8, 10, 10 }));
    }
}
