using System.Net;
using System.Net.Http.Json;
using ConcertBooking.ConcertService.Data;
using ConcertBooking.Contracts;
using ConcertBooking.Tests.Infrastructure;

namespace ConcertBooking.Tests.Integration;

/// <summary>Holds that run out, and booking with UserService gone: each with a system of its own.</summary>
[TestFixture]
[Category(TestCategories.Integration)]
public sealed class BookingResilienceTests
{
    [Test]
    public async Task A_hold_past_its_expiry_releases_the_seat_and_can_no_longer_be_paid()
    {
        // A hold lasts at least as long as the pass that made it, so the admission is as short as the hold.
        await using var system = await ConcertBookingSystem.StartAsync(BookingDriver.Options(
            concert: [("Reservations:HoldTime", "00:00:03"), ("Reservations:SweepInterval", "00:00:00.200")],
            token: [("Queue:AdmissionLifetime", "00:00:03")]));
        using var booking = new BookingDriver(system);
        var user = await booking.SignUpReplicatedAsync("Slow");
        var reservation = await booking.ReserveAsync(user, (await booking.SeatAsync("T5")).Id, await booking.EntryPassAsync(user));
        await booking.WaitPayableAsync(user, reservation.Id, "Pending");
        await booking.ChargeAsync(user, 100.00m);

        await booking.WaitReservationAsync(user, reservation.Id, "Expired");
        await booking.WaitPayableAsync(user, reservation.Id, "Expired");

        Assert.That((await booking.SeatAsync("T5")).Status, Is.EqualTo("Available"));
        var expired = await BookingDriver.OutboxOfAsync<ConcertDbContext, ReservationExpired>(system.Concert.Services);
        Assert.That(expired.Count(m => m.PartitionKey == reservation.Id.ToString()), Is.EqualTo(1));
        var refused = await booking.PayRawAsync(reservation.Id, user, Guid.NewGuid().ToString());
        Assert.That(refused.StatusCode, Is.EqualTo(HttpStatusCode.Conflict), await refused.Content.ReadAsStringAsync());
        Assert.That(refused.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/problem+json"));
        Assert.That(await booking.BalanceAsync(user), Is.EqualTo(100.00m), "nothing charged");

        // The released seat can be reserved again, with a new admission, and that reservation paid.
        var (again, _) = await booking.BookAsync(user, "T5");
        Assert.That(again.Id, Is.Not.EqualTo(reservation.Id));
    }

    [Test]
    public async Task An_admission_expires_its_pass_is_refused_and_entering_again_requeues_the_same_token()
    {
        await using var system = await ConcertBookingSystem.StartAsync(BookingDriver.Options(
            token: [("Queue:AdmissionLifetime", "00:00:02")]));
        using var booking = new BookingDriver(system);
        var user = await booking.SignUpReplicatedAsync("Late");
        var token = await booking.EnterQueueAsync(BookingDriver.TestConcertId, user);
        var admitted = await booking.WaitUntilAdmittedAsync(user, token.TokenId);

        await Eventually.Until(() => booking.QueueTokenAsync(user, token.TokenId), t => t.Status == "Expired", $"token {token.TokenId} expired");

        var refused = await booking.ReserveRawAsync(user, (await booking.SeatAsync("T7")).Id, admitted.EntryPass);
        Assert.That(refused.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden), await refused.Content.ReadAsStringAsync());
        Assert.That((await booking.SeatAsync("T7")).Status, Is.EqualTo("Available"));
        var again = await booking.EnterQueueRawAsync(BookingDriver.TestConcertId, user);
        Assert.That(again.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        var requeued = (await again.Content.ReadFromJsonAsync<TokenService.Queue.QueueTokenResponse>())!;
        Assert.That(requeued.TokenId, Is.EqualTo(token.TokenId));
        Assert.That(requeued.Status, Is.AnyOf("Waiting", "Admitted"), "back in the queue (or already admitted again)");
    }

    [Test]
    public async Task With_UserService_stopped_an_already_replicated_user_still_books_with_the_token_issued_before()
    {
        await using var system = await ConcertBookingSystem.StartAsync(BookingDriver.Options());
        using var booking = new BookingDriver(system);
        var user = await booking.SignUpReplicatedAsync("Independent");

        await system.Users.DisposeAsync();
        TestContext.Out.WriteLine("Injected: UserService stopped; the user's access token was issued before");

        var (reservation, _) = await booking.BookAsync(user, "T6");
        Assert.That(reservation.Status, Is.EqualTo("Confirmed"));
        Assert.That((await booking.SeatAsync("T6")).Status, Is.EqualTo("Sold"));
        TestContext.Out.WriteLine("Verified: queue, hold, payment and confirmation, each service checking the token with its configured public key");
    }
}
