using System.Diagnostics;
using ConcertBooking.Messaging.Kafka;
using ConcertBooking.Tests.Infrastructure;
using Confluent.Kafka;

namespace ConcertBooking.Tests.Integration;

/// <summary>
/// A consumer killed and restarted used to wait out the session timeout before it got its partitions back (measured:
/// 48 s to converge after a SIGKILL mid-burst). As a static member it rejoins as itself and takes them back at once.
/// </summary>
[TestFixture]
[Category(TestCategories.Integration)]
[Category(TestCategories.Kafka)]
public sealed class KafkaStaticMembershipTests
{
    [Test]
    public async Task A_killed_consumer_restarted_under_its_instance_id_gets_its_partitions_back_well_within_the_session_timeout()
    {
        if (TestEnvironment.KafkaBootstrapServers is null)
        {
            Assert.Ignore("Needs a real Kafka cluster (set KAFKA_BOOTSTRAP_SERVERS): librdkafka's mock cluster does not implement static " +
                "membership for the classic group protocol (rd_kafka_mock_cgrp_classic_member_add finds members by member id only, so a " +
                "rejoining instance id is added as a new member and waits for the old one's session timeout like any other).");
        }

        var sessionTimeout = TimeSpan.FromSeconds(45);
        const string instanceId = "concert-static-membership-test";
        var settings = new KeyValuePair<string, string?>[]
        {
            new("Messaging:Kafka:SessionTimeout", sessionTimeout.ToString()),
            new("Messaging:Kafka:GroupInstanceId", instanceId),
        };
        await using var system = await ConcertBookingSystem.StartAsync(new SystemOptions
        {
            Transport = TestTransport.Kafka,
            StartLater = service => service == "concert",
            Settings = service => service == "concert" ? settings : [],
        });
        var kafka = system.Kafka!;

        // The instance that dies: a member of the concert group under the instance id, killed without leaving the group,
        // as SIGKILL would (Dispose without Close sends no LeaveGroup).
        var killed = new ConsumerBuilder<Ignore, Ignore>(KafkaConsumerService.Config(new KafkaOptions
        {
            BootstrapServers = kafka.BootstrapServers,
            GroupId = kafka.TopicPrefix + "concert",
            GroupInstanceId = instanceId,
            SessionTimeout = sessionTimeout,
        })).Build();
        killed.Subscribe(kafka.Topic("user.created"));
        await Eventually.Until(() =>
        {
            killed.Consume(TimeSpan.FromMilliseconds(200));
            return Task.FromResult(killed.Assignment.Count);
        }, assigned => assigned > 0, "the first instance to be assigned its partitions");
        killed.Dispose();
        TestContext.Out.WriteLine("Killed the first instance without leaving the group");

        var restarted = Stopwatch.StartNew();
        using var users = system.Users.CreateClient();
        var user = await users.SignUpAsync("After the restart");
        _ = system.Concert.Services;
        await Eventually.Until(() => ConcertBookingSystem.FindReplicaAsync(system.Concert.Services, user.Id), found => found is not null,
            "the restarted instance to handle a new event", sessionTimeout);
        TestContext.Out.WriteLine($"Restarted instance handled a new event after {restarted.Elapsed.TotalSeconds:0.0} s (session timeout {sessionTimeout.TotalSeconds} s)");

        Assert.That(restarted.Elapsed, Is.LessThan(sessionTimeout / 3));
    }
}
