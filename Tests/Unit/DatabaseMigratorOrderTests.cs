using ConcertBooking.Database;
using ConcertBooking.TokenService.Data;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace ConcertBooking.Tests.Unit;

/// <summary>
/// The host starts hosted services in registration order. The service defaults register the health checks' background
/// sampler before the database: on a fresh database it queried the outbox while the migration was still creating it,
/// and every first start logged failures with stack traces.
/// </summary>
[TestFixture]
[Category(TestCategories.Unit)]
public sealed class DatabaseMigratorOrderTests
{
    [Test]
    public void The_migration_is_the_first_hosted_service_to_start()
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Services.AddHealthChecks(); // as the service defaults do, first
        builder.AddServiceDatabase<TokenDbContext, PostgresTokenDbContext, SqlServerTokenDbContext>();

        var first = builder.Services.First(d => d.ServiceType == typeof(IHostedService));

        Assert.That(first.ImplementationType, Is.EqualTo(typeof(DatabaseMigrator<TokenDbContext>)));
    }
}
