using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;
using ConcertBooking.Tests.Infrastructure;

namespace ConcertBooking.Tests.Deployment;

/// <summary>
/// The AppHost on Kafka: it starts no broker (the dev broker runs apart from it), so the model is what there is to
/// hold: every service gets the cluster and, for the dev broker, the short fetch wait its mock needs.
/// </summary>
[TestFixture]
[Category(TestCategories.Deployment)]
public sealed class AppHostKafkaModelTests
{
    private static readonly string[] Services = ["user-service", "concert-service", "payment-service", "token-service"];

    [TestCase(null, "00:00:00.0050000", TestName = "On Kafka, the AppHost gives every service the cluster and the dev broker's short fetch wait")]
    [TestCase("", null, TestName = "On Kafka, a fetch wait cleared in the AppHost's settings leaves librdkafka's default")]
    public async Task Every_service_gets_the_cluster_and_the_fetch_wait(string? fetchWaitSetting, string? expected)
    {
        string[] arguments = ["--ConcertBooking:Transport=Kafka", "--ConcertBooking:Kafka:BootstrapServers=127.0.0.1:9",
            .. fetchWaitSetting is null ? Array.Empty<string>() : [$"--ConcertBooking:Kafka:FetchWaitMax={fetchWaitSetting}"]];
        await using var appHost = await DistributedApplicationTestingBuilder.CreateAsync<Projects.ConcertBooking_AppHost>(arguments);

        foreach (var name in Services)
        {
            var service = appHost.Resources.OfType<ProjectResource>().Single(project => project.Name == name);
            var environment = await AppHostModel.EnvironmentAsync(service);

            Assert.Multiple(() =>
            {
                Assert.That(environment["Messaging__Transport"], Is.EqualTo("Kafka"), name);
                Assert.That(environment["Messaging__Kafka__BootstrapServers"], Is.EqualTo("127.0.0.1:9"), name);
                Assert.That(environment.GetValueOrDefault("Messaging__Kafka__FetchWaitMax"), Is.EqualTo(expected), name);
            });
        }
    }
}
