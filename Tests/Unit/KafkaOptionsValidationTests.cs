using ConcertBooking.Messaging;
using ConcertBooking.Messaging.Kafka;
using Microsoft.Extensions.Options;

namespace ConcertBooking.Tests.Unit;

[TestFixture]
[Category(TestCategories.Unit)]
public sealed class KafkaOptionsValidationTests
{
    [Test]
    public void Kafka_settings_out_of_range_or_inconsistent_are_refused_and_named()
    {
        var invalid = new KafkaOptions { Partitions = 0, SessionTimeout = TimeSpan.FromSeconds(3), HeartbeatInterval = TimeSpan.FromSeconds(3) };

        var annotations = new KafkaOptionsValidator().Validate(null, invalid);
        var consistency = new KafkaOptionsValidation().Validate(null, invalid);

        Assert.Multiple(() =>
        {
            Assert.That(annotations.Failed, Is.True);
            Assert.That(annotations.FailureMessage, Does.Contain("Partitions"));
            Assert.That(consistency.Failed, Is.True);
            Assert.That(consistency.FailureMessage, Does.Contain("Messaging:Kafka:HeartbeatInterval"));
            Assert.That(new KafkaOptionsValidator().Validate(null, new KafkaOptions()).Succeeded, Is.True);
            Assert.That(new KafkaOptionsValidation().Validate(null, new KafkaOptions()).Succeeded, Is.True);
        });
    }

    [Test]
    public void A_producer_that_may_still_deliver_a_record_after_the_relay_gave_up_on_it_is_refused()
    {
        var relay = Options.Create(new MessagingOptions { Outbox = { PublishTimeout = TimeSpan.FromSeconds(10) } });
        var validation = new KafkaDeliveryTimeoutValidation(relay);

        var outliving = validation.Validate(null, new KafkaOptions { MessageTimeout = TimeSpan.FromSeconds(30) });
        var tooClose = validation.Validate(null, new KafkaOptions { MessageTimeout = TimeSpan.FromSeconds(9.5) });

        Assert.Multiple(() =>
        {
            Assert.That(outliving.Failed, Is.True);
            Assert.That(outliving.FailureMessage, Does.Contain("Messaging:Kafka:MessageTimeout").And.Contain("Messaging:Outbox:PublishTimeout"));
            Assert.That(tooClose.Failed, Is.True, "librdkafka finds a timed-out record up to a second late");
            Assert.That(validation.Validate(null, new KafkaOptions()).Succeeded, Is.True, "the defaults");
        });
    }
}
