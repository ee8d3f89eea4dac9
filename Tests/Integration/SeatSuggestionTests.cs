using System.Net;
using System.Net.Http.Json;
using ConcertBooking.ConcertService.Reservations;
using ConcertBooking.Tests.Infrastructure;

namespace ConcertBooking.Tests.Integration;

/// <summary>
/// A buyer whose seat was taken is told which seats were free a moment ago, so that the next attempt is not a guess
/// from an old seat map; and when none was, the refusal says so, so that the buyer stops trying.
/// </summary>
[TestFixture]
[Category(TestCategories.Integration)]
public sealed class SeatSuggestionTests : BookingSystemFixture
{
    private static readonly Guid SmallConcertId = Guid.Parse("7e570000-0000-4000-8000-000000000003");

    protected override SystemOptions SystemSettings() => BookingDriver.Options(concert:
    [
        // Read afresh on every refusal, so that what a test holds is what the next refusal knows.
        ("Reservations:SeatSuggestionsMaxAge", "00:00:00"),
        .. BookingDriver.SmallConcert(3, SmallConcertId, "S", 2),
    ]);

    [Test]
    public async Task A_hold_refused_as_taken_names_other_seats_that_are_free()
    {
        var (first, second) = (await Booking.SignUpReplicatedAsync("First"), await Booking.SignUpReplicatedAsync("Second"));
        var seat = await Booking.SeatAsync("T5");
        await Booking.ReserveAsync(first, seat.Id, await Booking.EntryPassAsync(first));

        var refused = await Booking.ReserveRawAsync(second, seat.Id, await Booking.EntryPassAsync(second));

        Assert.That(refused.StatusCode, Is.EqualTo(HttpStatusCode.Conflict), await refused.Content.ReadAsStringAsync());
        var suggested = (await refused.Content.ReadFromJsonAsync<SeatRefusal>())!.AvailableSeats;
        var available = (await Booking.SeatsAsync()).Where(s => s.Status == "Available").Select(s => new AvailableSeat(s.Id, s.Label)).ToList();
        Assert.That(suggested, Has.Count.EqualTo(5).And.Unique);
        Assert.That(suggested, Is.SubsetOf(available), "every seat named is free, with its label");
        Assert.That(suggested!.Select(s => s.Id), Has.None.EqualTo(seat.Id));

        var next = await Booking.ReserveRawAsync(second, suggested![0].Id, await Booking.EntryPassAsync(second));
        Assert.That(next.StatusCode, Is.EqualTo(HttpStatusCode.Created), await next.Content.ReadAsStringAsync());
    }

    [Test]
    public async Task When_no_seat_is_left_a_refused_hold_names_none()
    {
        var buyers = await Task.WhenAll(Enumerable.Range(0, 3).Select(i => Booking.SignUpReplicatedAsync($"Small {i}")));
        var passes = await Task.WhenAll(buyers.Select(b => Booking.EntryPassAsync(b, SmallConcertId)));
        var seats = await Booking.SeatsAsync(SmallConcertId);
        await Booking.ReserveAsync(buyers[0], seats[0].Id, passes[0]);

        var oneLeft = await Booking.ReserveRawAsync(buyers[2], seats[0].Id, passes[2]);
        Assert.That((await oneLeft.Content.ReadFromJsonAsync<SeatRefusal>())!.AvailableSeats!.Select(s => s.Id), Is.EqualTo(new[] { seats[1].Id }));
        await Booking.ReserveAsync(buyers[1], seats[1].Id, passes[1]);

        var noneLeft = await Booking.ReserveRawAsync(buyers[2], seats[0].Id, passes[2]);

        Assert.That(noneLeft.StatusCode, Is.EqualTo(HttpStatusCode.Conflict));
        var refusal = (await noneLeft.Content.ReadFromJsonAsync<SeatRefusal>())!;
        Assert.That(refusal.AvailableSeats, Is.Not.Null.And.Empty, "an empty list, not a missing one: the concert has nothing free");
        Assert.That(refusal.Detail, Does.Contain("no other seat"));
    }

    private sealed record SeatRefusal(string? Detail, List<AvailableSeat>? AvailableSeats);
}
