using System.Net;
using System.Net.Http.Json;
using ConcertBooking.ConcertService.Reservations;
using ConcertBooking.Tests.Infrastructure;

namespace ConcertBooking.Tests.Integration;

/// <summary>
/// A hold of any free seat of a concert: concurrent buyers each get a different seat, none is refused a seat that
/// another took while the request waited, the last seat goes once, and a sold-out concert says so; a pass holds one
/// seat, and asking again with it (for any seat, or for the seat it holds) answers with that hold.
/// </summary>
[TestFixture]
[Category(TestCategories.Integration)]
public sealed class AnySeatHoldTests : BookingSystemFixture
{
    private static readonly Guid ThreeSeatsConcertId = Guid.Parse("7e570000-0000-4000-8000-000000000004");
    private static readonly Guid TwoSeatsConcertId = Guid.Parse("7e570000-0000-4000-8000-000000000005");

    protected override SystemOptions SystemSettings() => BookingDriver.Options(concert:
    [
        .. BookingDriver.SmallConcert(3, ThreeSeatsConcertId, "R", 3),
        .. BookingDriver.SmallConcert(4, TwoSeatsConcertId, "Q", 2),
    ]);

    [Test]
    public async Task Concurrent_holds_of_any_seat_each_get_a_different_seat_until_none_is_left()
    {
        var buyers = await Task.WhenAll(Enumerable.Range(0, 5).Select(i => Booking.SignUpReplicatedAsync($"Any {i}")));
        var passes = await Task.WhenAll(buyers.Select(b => Booking.EntryPassAsync(b, ThreeSeatsConcertId)));

        var answers = await Task.WhenAll(buyers.Select((b, i) => Booking.ReserveAnyRawAsync(b, ThreeSeatsConcertId, passes[i])));

        var held = new List<ReservationResponse>();
        foreach (var answer in answers)
        {
            var body = await answer.Content.ReadAsStringAsync();
            Assert.That(answer.StatusCode, Is.EqualTo(HttpStatusCode.Created).Or.EqualTo(HttpStatusCode.Conflict), body);
            if (answer.StatusCode == HttpStatusCode.Created)
            {
                held.Add((await answer.Content.ReadFromJsonAsync<ReservationResponse>())!);
            }
        }

        // Three seats, five buyers: at most three holds, each of its own seat. A buyer may be refused while the last seats
        // are locked by holds in flight (any of which could roll back), so every seat held is checked, not the count alone.
        Assert.That(held.Select(r => r.SeatId), Is.Unique);
        var seats = await Booking.SeatsAsync(ThreeSeatsConcertId);
        Assert.That(seats.Where(s => s.Status == "Held").Select(s => s.Id), Is.EquivalentTo(held.Select(r => r.SeatId)));

        // Whoever was refused asks again until the concert is sold out: every seat ends held, each by one reservation.
        for (var i = 0; i < buyers.Length && (await Booking.SeatsAsync(ThreeSeatsConcertId)).Any(s => s.Status == "Available"); i++)
        {
            if (held.All(r => r.UserId != buyers[i].Id))
            {
                var again = await Booking.ReserveAnyRawAsync(buyers[i], ThreeSeatsConcertId, passes[i]);
                Assert.That(again.StatusCode, Is.EqualTo(HttpStatusCode.Created), await again.Content.ReadAsStringAsync());
                held.Add((await again.Content.ReadFromJsonAsync<ReservationResponse>())!);
            }
        }

        Assert.That(held.Select(r => r.SeatId), Is.Unique.And.EquivalentTo(seats.Select(s => s.Id)));
        var late = buyers.First(b => held.All(r => r.UserId != b.Id));
        var soldOut = await Booking.ReserveAnyRawAsync(late, ThreeSeatsConcertId, passes[Array.IndexOf(buyers, late)]);
        Assert.That(soldOut.StatusCode, Is.EqualTo(HttpStatusCode.Conflict));
        var refusal = (await soldOut.Content.ReadFromJsonAsync<Refusal>())!;
        Assert.That(refusal.Title, Is.EqualTo("Sold out"));
        Assert.That(refusal.AvailableSeats, Is.Not.Null.And.Empty, "an empty list says sold out, as on a refused named seat");
    }

    [Test]
    public async Task Any_seat_is_the_first_free_one_in_label_order()
    {
        var (first, second, third) = (await Booking.SignUpReplicatedAsync("Named"), await Booking.SignUpReplicatedAsync("Any"),
            await Booking.SignUpReplicatedAsync("Late"));
        var seats = (await Booking.SeatsAsync(TwoSeatsConcertId)).OrderBy(s => s.Label, StringComparer.Ordinal).ToList();
        await Booking.ReserveAsync(first, seats[0].Id, await Booking.EntryPassAsync(first, TwoSeatsConcertId));

        var any = await Booking.ReserveAnyRawAsync(second, TwoSeatsConcertId, await Booking.EntryPassAsync(second, TwoSeatsConcertId));

        Assert.That(any.StatusCode, Is.EqualTo(HttpStatusCode.Created), await any.Content.ReadAsStringAsync());
        Assert.That((await any.Content.ReadFromJsonAsync<ReservationResponse>())!.SeatId, Is.EqualTo(seats[1].Id));
        var late = await Booking.ReserveAnyRawAsync(third, TwoSeatsConcertId, await Booking.EntryPassAsync(third, TwoSeatsConcertId));
        Assert.That(late.StatusCode, Is.EqualTo(HttpStatusCode.Conflict));
        Assert.That((await late.Content.ReadFromJsonAsync<Refusal>())!.Title, Is.EqualTo("Sold out"), "both seats are held now");
    }

    [Test]
    public async Task Asked_again_with_the_same_pass_a_hold_answers_with_the_seat_it_holds()
    {
        var buyer = await Booking.SignUpReplicatedAsync("Retrying");
        var pass = await Booking.EntryPassAsync(buyer);

        // Twice at once, as a client whose first request timed out would send it again, then once more.
        var answers = await Task.WhenAll(Enumerable.Range(0, 2).Select(_ => Booking.ReserveAnyRawAsync(buyer, BookingDriver.TestConcertId, pass)));
        var again = await Booking.ReserveAnyRawAsync(buyer, BookingDriver.TestConcertId, pass);

        Assert.That(answers.Select(a => a.StatusCode), Is.EquivalentTo(new[] { HttpStatusCode.Created, HttpStatusCode.OK }));
        Assert.That(again.StatusCode, Is.EqualTo(HttpStatusCode.OK), await again.Content.ReadAsStringAsync());
        var reservations = await Task.WhenAll(answers.Append(again).Select(a => a.Content.ReadFromJsonAsync<ReservationResponse>()));
        Assert.That(reservations.Select(r => r!.Id).Distinct().Count(), Is.EqualTo(1), "one reservation, answered three times");
        var held = (await Booking.SeatsAsync()).Where(s => s.Status == "Held").Select(s => s.Id).ToList();
        Assert.That(held, Has.Member(reservations[0]!.SeatId));
        Assert.That((await Booking.ReservationAsync(buyer, reservations[0]!.Id)).Status, Is.EqualTo("Pending"));
    }

    [Test]
    public async Task A_named_seat_asked_again_with_the_pass_that_holds_it_answers_with_that_hold()
    {
        var buyer = await Booking.SignUpReplicatedAsync("Named again");
        var pass = await Booking.EntryPassAsync(buyer);
        var seat = (await Booking.SeatsAsync()).First(s => s.Label == "T46");

        // Twice at once, as a client whose first request timed out would send it again, then once more.
        var answers = await Task.WhenAll(Enumerable.Range(0, 2).Select(_ => Booking.ReserveRawAsync(buyer, seat.Id, pass)));
        var again = await Booking.ReserveRawAsync(buyer, seat.Id, pass);

        Assert.That(answers.Select(a => a.StatusCode), Is.EquivalentTo(new[] { HttpStatusCode.Created, HttpStatusCode.OK }),
            string.Join("\n", await Task.WhenAll(answers.Select(a => a.Content.ReadAsStringAsync()))));
        Assert.That(again.StatusCode, Is.EqualTo(HttpStatusCode.OK), await again.Content.ReadAsStringAsync());
        var reservations = await Task.WhenAll(answers.Append(again).Select(a => a.Content.ReadFromJsonAsync<ReservationResponse>()));
        Assert.That(reservations.Select(r => (r!.Id, r.SeatId)).Distinct(), Has.Exactly(1).Items, "one reservation of the seat, answered three times");

        // Another buyer naming that seat is still refused: it is taken, by someone else.
        var other = await Booking.SignUpReplicatedAsync("Someone else");
        var refused = await Booking.ReserveRawAsync(other, seat.Id, await Booking.EntryPassAsync(other));
        Assert.That(refused.StatusCode, Is.EqualTo(HttpStatusCode.Conflict));
    }

    [Test]
    public async Task A_pass_for_another_concert_or_an_unknown_concert_holds_nothing()
    {
        var buyer = await Booking.SignUpReplicatedAsync("Elsewhere");
        var pass = await Booking.EntryPassAsync(buyer);

        var elsewhere = await Booking.ReserveAnyRawAsync(buyer, ThreeSeatsConcertId, pass);
        var unknown = await Booking.ReserveAnyRawAsync(buyer, Guid.NewGuid(), pass);
        var none = await Booking.ReserveAnyRawAsync(buyer, BookingDriver.TestConcertId, null);

        Assert.That(elsewhere.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden), await elsewhere.Content.ReadAsStringAsync());
        // The pass is checked before the concert is looked up, so a pass for another concert is refused as such.
        Assert.That(unknown.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden), await unknown.Content.ReadAsStringAsync());
        Assert.That(none.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
    }

    [Test]
    public async Task A_request_naming_a_seat_and_a_concert_is_refused_as_bad_input()
    {
        var buyer = await Booking.SignUpReplicatedAsync("Both");
        var seat = (await Booking.SeatsAsync()).First();

        var both = await Booking.Concert.SendAsAsync(buyer, HttpMethod.Post, "/reservations", new { seatId = seat.Id, concertId = BookingDriver.TestConcertId });

        Assert.That(both.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(await both.Content.ReadAsStringAsync(), Does.Contain("one of the two"));
    }

    private sealed record Refusal(string? Title, string? Detail, List<AvailableSeat>? AvailableSeats);
}
