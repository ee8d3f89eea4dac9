using ConcertBooking.Tests.Infrastructure;

namespace ConcertBooking.Tests;

[SetUpFixture]
public sealed class TestRunSetup
{
    [OneTimeTearDown]
    public async Task DropDatabases()
    {
        await PostgresDatabases.DropAllAsync();
        await SqlServerDatabases.DropAllAsync();
    }
}
