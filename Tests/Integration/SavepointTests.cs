using ConcertBooking.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;

namespace ConcertBooking.Tests.Integration;

/// <summary>
/// Every transaction the services open rolls back whole when a save in it fails, so none needs the savepoint EF Core
/// makes around each save in a transaction by default: on PostgreSQL that is a subtransaction and a RELEASE round trip
/// per save, in the hold, the top-up and the payment, the crowd's paths.
/// </summary>
[TestFixture]
[Category(TestCategories.Integration)]
public sealed class SavepointTests
{
    [Test]
    public async Task A_booking_makes_no_savepoint_in_any_service()
    {
        var counters = new Dictionary<string, SavepointCounter>
        {
            ["users"] = new(), ["concert"] = new(), ["payment"] = new(), ["token"] = new(),
        };
        var options = BookingDriver.Options();
        await using var system = await ConcertBookingSystem.StartAsync(new SystemOptions
        {
            Transport = options.Transport,
            Settings = options.Settings,
            TestServices = service => services => services.AddSingleton<IInterceptor>(counters[service]),
        });
        using var booking = new BookingDriver(system);
        var user = await booking.SignUpReplicatedAsync("Savepoints");

        await booking.BookAsync(user, "T1");

        Assert.That(counters.ToDictionary(c => c.Key, c => c.Value.Created), Is.EquivalentTo(counters.ToDictionary(c => c.Key, _ => 0)));
    }
}
