namespace ConcertBooking.Tests.Infrastructure;

/// <summary>
/// A fixture whose tests share one running system, started once before them and stopped after, and a driver of its
/// booking APIs.
/// </summary>
public abstract class BookingSystemFixture
{
    protected ConcertBookingSystem BookingSystem { get; private set; } = null!;

    protected BookingDriver Booking { get; private set; } = null!;

    /// <summary>The system's settings: the booking defaults, unless a fixture needs others.</summary>
    protected virtual SystemOptions SystemSettings() => BookingDriver.Options();

    /// <summary>What the fixture prepares once the system runs, before its first test.</summary>
    protected virtual Task StartedAsync() => Task.CompletedTask;

    [OneTimeSetUp]
    public async Task StartSystem()
    {
        BookingSystem = await ConcertBookingSystem.StartAsync(SystemSettings());
        Booking = new BookingDriver(BookingSystem);
        await StartedAsync();
    }

    [OneTimeTearDown]
    public async Task StopSystem()
    {
        Booking.Dispose();
        await BookingSystem.DisposeAsync();
    }
}
