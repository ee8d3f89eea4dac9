using ConcertBooking.Messaging.Kafka;

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
}
