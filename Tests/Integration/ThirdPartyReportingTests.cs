using ConcertBooking.Tests.Infrastructure;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace ConcertBooking.Tests.Integration;

/// <summary>
/// The services send nothing to third parties that the operator did not configure. MassTransit 8.4 and later report
/// the bus's configuration to the MassTransit project after start unless told not to; a booking system's hosts often
/// cannot reach the internet, and its operators decide what leaves them.
/// </summary>
[TestFixture]
[Category(TestCategories.Integration)]
public sealed class ThirdPartyReportingTests : BookingSystemFixture
{
    [Test]
    public void No_service_reports_its_bus_to_the_MassTransit_project()
    {
        var services = new (string Name, IServiceProvider Services)[]
        {
            ("users", BookingSystem.Users.Services), ("concert", BookingSystem.Concert.Services),
            ("payment", BookingSystem.Payment.Services), ("token", BookingSystem.Token.Services),
        };

        Assert.Multiple(() =>
        {
            foreach (var (name, provider) in services)
            {
                Assert.That(provider.GetRequiredService<IOptions<UsageTelemetryOptions>>().Value.Enabled, Is.False,
                    $"{name}: MassTransit's usage telemetry is on");
            }
        });
    }
}
