using System.Net;
using ConcertBooking.ConcertService.Data;
using ConcertBooking.ConcertService.Reservations;
using ConcertBooking.EntryPasses;
using ConcertBooking.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace ConcertBooking.Tests.Integration;

/// <summary>
/// The waiting queue protects something only if the first admitted buyer cannot take every seat: one pass holds one
/// seat at a time, and one user holds at most <c>Reservations:MaxSeatsPerUser</c> seats of a concert however many
/// passes they collect. Requests race, as buyers' do.
/// </summary>
[TestFixture]
[Category(TestCategories.Integration)]
public sealed class FairAccessTests : BookingSystemFixture
{
    private const int MaxSeatsPerUser = 3;

    protected override SystemOptions SystemSettings() => BookingDriver.Options(concert: [("Reservations:MaxSeatsPerUser", MaxSeatsPerUser.ToString())]);

    [Test]
    public async Task One_pass_cannot_hold_two_seats_at_once_even_when_the_requests_race()
    {
        var user = await Booking.SignUpReplicatedAsync("One Pass");
        var pass = await Booking.EntryPassAsync(user);
        // Seats of their own (T40-T45): the other test takes the first free ones.
        var seats = (await Booking.SeatsAsync()).Where(s => s.Label is "T40" or "T41" or "T42" or "T43" or "T44" or "T45").ToList();

        var responses = await Task.WhenAll(seats.Select(seat => Booking.ReserveRawAsync(user, seat.Id, pass)));

        var bodies = await Task.WhenAll(responses.Select(r => r.Content.ReadAsStringAsync()));
        Assert.That(responses.Count(r => r.StatusCode == HttpStatusCode.Created), Is.EqualTo(1), string.Join("\n", bodies.Distinct()));
        Assert.That(responses.Where(r => r.StatusCode != HttpStatusCode.Created).Select(r => r.StatusCode), Is.All.EqualTo(HttpStatusCode.Conflict));
        Assert.That(bodies.Where(b => !b.Contains("\"status\":\"Pending\"", StringComparison.Ordinal)), Is.All.Contain("Entry pass already holds a seat"));
        Assert.That(await HeldOrSoldAsync(user), Is.EqualTo(1), "one seat held");

        // Once that hold is paid, the same pass may hold the next seat: one at a time, not one in all.
        var held = (await Task.WhenAll(responses.Where(r => r.StatusCode == HttpStatusCode.Created)
            .Select(r => System.Net.Http.Json.HttpContentJsonExtensions.ReadFromJsonAsync<ReservationResponse>(r.Content)))).Single()!;
        await Booking.WaitPayableAsync(user, held.Id, "Pending");
        await Booking.ChargeAsync(user, 100.00m);
        Assert.That((await Booking.PayRawAsync(held.Id, user, Guid.NewGuid().ToString())).StatusCode, Is.EqualTo(HttpStatusCode.Created));
        await Booking.WaitReservationAsync(user, held.Id, "Confirmed");
        var next = seats.First(s => s.Id != held.SeatId);
        var again = await Booking.ReserveRawAsync(user, next.Id, pass);
        Assert.That(again.StatusCode, Is.EqualTo(HttpStatusCode.Created), await again.Content.ReadAsStringAsync());
        TestContext.Out.WriteLine($"Verified: {seats.Count} racing holds with one pass, 1 won and {seats.Count - 1} were 409; after paying, the pass held the next seat");
    }

    [Test]
    public async Task A_user_cannot_exceed_the_per_concert_cap_with_several_passes_even_when_the_requests_race()
    {
        var user = await Booking.SignUpReplicatedAsync("Many Passes");
        // Genuine passes, signed with the service's key for distinct queue tokens: as if the user had entered the queue
        // again and again (or from several accounts' tokens re-issued to them).
        var codec = new EntryPassCodec(BookingSystem.Concert.Services.GetRequiredService<IOptions<EntryPassOptions>>(), TimeProvider.System);
        var seats = (await Booking.SeatsAsync()).Where(s => s.Label.StartsWith("T2", StringComparison.Ordinal) && s.Label.Length == 3).Take(MaxSeatsPerUser + 3).ToList();
        var passes = seats.Select(_ => codec.Sign(new EntryPassClaims(user.Id, BookingDriver.TestConcertId, Guid.NewGuid(), DateTimeOffset.UtcNow.AddMinutes(2)))).ToList();

        var responses = await Task.WhenAll(seats.Zip(passes).Select(pair => Booking.ReserveRawAsync(user, pair.First.Id, pair.Second)));

        var bodies = await Task.WhenAll(responses.Select(r => r.Content.ReadAsStringAsync()));
        Assert.That(responses.Count(r => r.StatusCode == HttpStatusCode.Created), Is.EqualTo(MaxSeatsPerUser), string.Join("\n", bodies.Distinct()));
        Assert.That(responses.Where(r => r.StatusCode != HttpStatusCode.Created).Select(r => r.StatusCode), Is.All.EqualTo(HttpStatusCode.Conflict));
        Assert.That(bodies.Where(b => !b.Contains("\"status\":\"Pending\"", StringComparison.Ordinal)), Is.All.Contain("Seat limit reached"));
        Assert.That(await HeldOrSoldAsync(user), Is.EqualTo(MaxSeatsPerUser));

        // Another user is not affected by this one's cap.
        var other = await Booking.SignUpReplicatedAsync("Someone Else");
        var free = (await Booking.SeatsAsync()).First(s => s.Status == "Available");
        var reserved = await Booking.ReserveRawAsync(other, free.Id, await Booking.EntryPassAsync(other));
        Assert.That(reserved.StatusCode, Is.EqualTo(HttpStatusCode.Created), await reserved.Content.ReadAsStringAsync());
        TestContext.Out.WriteLine($"Verified: {seats.Count} racing holds with {passes.Count} passes, {MaxSeatsPerUser} won (the cap), the rest 409");
    }

    private Task<int> HeldOrSoldAsync(TestUser user) =>
        BookingSystem.Concert.WithScopeAsync(services => services.GetRequiredService<ConcertDbContext>().Reservations
            .CountAsync(r => r.UserId == user.Id && (r.Status == ReservationStatus.Pending || r.Status == ReservationStatus.Confirmed)));
}
