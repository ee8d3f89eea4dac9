using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;
using ConcertBooking.Tests.Infrastructure;

namespace ConcertBooking.Tests.Deployment;

/// <summary>
/// The AppHost's Docker path: RabbitMQ and PostgreSQL as containers. No container engine runs on the project's
/// machines, so, as with docker-compose.yml, the model is held against the services' configuration instead of run.
/// </summary>
[TestFixture]
[Category(TestCategories.Deployment)]
public sealed class AppHostContainerModelTests
{
    private static readonly (string Service, string Database)[] Services =
        [("user-service", "users"), ("concert-service", "concert"), ("payment-service", "payment"), ("token-service", "token")];

    [Test]
    public async Task With_a_container_engine_each_service_gets_its_own_database_and_the_broker_from_containers()
    {
        await using var appHost = await DistributedApplicationTestingBuilder.CreateAsync<Projects.ConcertBooking_AppHost>(
            ["--ConcertBooking:Infrastructure=Containers"]);
        var resources = appHost.Resources;

        Assert.That(resources.OfType<ContainerResource>().Select(container => container.Name), Is.EquivalentTo(new[] { "postgres", "rabbitmq" }));
        Assert.That(resources.OfType<ExecutableResource>().Select(executable => executable.Name), Has.None.EqualTo("infra"),
            "scripts/infra.sh is for this machine's daemons only");

        foreach (var (name, database) in Services)
        {
            var service = resources.OfType<ProjectResource>().Single(project => project.Name == name);
            // As a deployment manifest would write them: references to the containers' values, not this run's.
            var environment = await AppHostModel.EnvironmentAsync(service);
            var waitsFor = service.Annotations.OfType<WaitAnnotation>().Select(wait => wait.Resource.Name).ToList();
            var ownDatabase = resources.OfType<PostgresDatabaseResource>().Single(db => db.Name == $"{database}-db");

            Assert.Multiple(() =>
            {
                Assert.That(ownDatabase.DatabaseName, Is.EqualTo($"concertbooking_{database}"), name);
                Assert.That(environment["ConnectionStrings__Database"], Does.StartWith("{postgres.").And.EndsWith($";Database=concertbooking_{database};Maximum Pool Size=20"),
                    $"{name}: its own database, with a pool that four services can share");
                Assert.That(environment["Messaging__Transport"], Is.EqualTo("RabbitMq"), name);
                Assert.That(environment["Messaging__RabbitMq__Host"], Does.Contain("rabbitmq"), name);
                Assert.That(environment["Messaging__RabbitMq__Port"], Does.Contain("rabbitmq"), name);
                Assert.That(environment["Messaging__RabbitMq__Password"], Does.Contain("rabbitmq-password"), name);
                Assert.That(environment, Does.ContainKey("Messaging__RabbitMq__Username"), name);
                Assert.That(waitsFor, Is.SupersetOf(new[] { "rabbitmq", $"{database}-db" }), $"{name} starts once its broker and database are up");
            });
        }
    }
}
