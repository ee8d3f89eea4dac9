using System.Net;
using System.Net.Http.Json;
using ConcertBooking.ConcertService.Data;
using ConcertBooking.EntryPasses;
using ConcertBooking.PaymentService.Data;
using ConcertBooking.Tests.Infrastructure;
using ConcertBooking.TokenService.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace ConcertBooking.Tests.Integration;

/// <summary>Every booking endpoint answers bad input with a 4xx problem document and changes nothing.</summary>
[TestFixture]
[Category(TestCategories.Integration)]
public sealed class BookingBadInputTests : BookingSystemFixture
{
    private TestUser _user = null!;
    private TestUser _otherUser = null!;

    /// <summary>A valid token (signed with the run's key) of a user no service has heard of.</summary>
    private static TestUser Stranger()
    {
        var id = Guid.CreateVersion7();
        return new TestUser(id, "nobody@example.com", "", TestTokens.Issue(id));
    }

    protected override async Task StartedAsync()
    {
        _user = await Booking.SignUpReplicatedAsync("Careful");
        _otherUser = await Booking.SignUpReplicatedAsync("Other");
    }

    [Test]
    public async Task Queue_rejects_unknown_users_and_unknown_tokens()
    {
        var before = await CountAsync<TokenDbContext>(BookingSystem.Token.Services, db => db.QueueTokens.CountAsync());

        var unknown = await Booking.EnterQueueRawAsync(BookingDriver.TestConcertId, Stranger());
        var problem = await AssertProblem(unknown, HttpStatusCode.UnprocessableEntity);
        Assert.That(problem, Does.Contain("unknown here"));
        await AssertProblem(await Booking.Token.SendAsAsync(_user, HttpMethod.Get, $"/queue/tokens/{Guid.NewGuid()}"), HttpStatusCode.NotFound);

        Assert.That(await CountAsync<TokenDbContext>(BookingSystem.Token.Services, db => db.QueueTokens.CountAsync()), Is.EqualTo(before));
    }

    [Test]
    public async Task Concerts_and_reservations_reject_unknown_ids_and_missing_fields()
    {
        await AssertProblem(await Booking.Concert.GetAsync($"/concerts/{Guid.NewGuid()}/seats"), HttpStatusCode.NotFound);
        await AssertProblem(await Booking.Concert.SendAsAsync(_user, HttpMethod.Get, $"/reservations/{Guid.NewGuid()}"), HttpStatusCode.NotFound);
        var pass = await Booking.EntryPassAsync(_user);
        var seat = await Booking.SeatAsync("T10");

        await AssertProblem(await Booking.Concert.SendAsAsync(_user, HttpMethod.Post, "/reservations", new { }), HttpStatusCode.BadRequest);
        await AssertProblem(await Booking.ReserveRawAsync(Stranger(), seat.Id, pass), HttpStatusCode.UnprocessableEntity);
        await AssertProblem(await Booking.ReserveRawAsync(_user, Guid.NewGuid(), pass), HttpStatusCode.NotFound);
        // The user is asked along with the seat; with no seat to ask along with, an unknown user is still answered first.
        await AssertProblem(await Booking.ReserveRawAsync(Stranger(), Guid.NewGuid(), pass), HttpStatusCode.UnprocessableEntity);

        await AssertNoReservationsAsync(seat.Id, "T10");
    }

    [Test]
    public async Task Reservations_need_a_genuine_current_pass_for_this_user_and_concert()
    {
        var pass = await Booking.EntryPassAsync(_user);
        var seat = await Booking.SeatAsync("T11");
        var codec = new EntryPassCodec(BookingSystem.Concert.Services.GetRequiredService<IOptions<EntryPassOptions>>(), TimeProvider.System);
        var forger = new EntryPassCodec(Options.Create(new EntryPassOptions { SigningKey = new string('x', 40) }), TimeProvider.System);
        var inAMinute = DateTimeOffset.UtcNow.AddMinutes(1);
        var demoConcert = Guid.Parse("0c0ce27a-0000-4000-8000-000000000001");

        await AssertProblem(await Booking.ReserveRawAsync(_user, seat.Id, null), HttpStatusCode.Unauthorized);
        // Without a pass nothing is looked up: not the seat (one that does not exist is not 404), not the user.
        Assert.That(await AssertProblem(await Booking.ReserveRawAsync(_user, Guid.NewGuid(), null), HttpStatusCode.Unauthorized), Does.Contain("Entry pass required"));
        await AssertProblem(await Booking.ReserveRawAsync(_user, seat.Id, "not-a-pass"), HttpStatusCode.Unauthorized);
        var tampered = pass[..^2] + (pass[^2] == 'A' ? "B" : "A") + pass[^1];
        await AssertProblem(await Booking.ReserveRawAsync(_user, seat.Id, tampered), HttpStatusCode.Forbidden);
        var forged = forger.Sign(new EntryPassClaims(_user.Id, BookingDriver.TestConcertId, Guid.NewGuid(), inAMinute));
        Assert.That(await AssertProblem(await Booking.ReserveRawAsync(_user, seat.Id, forged), HttpStatusCode.Forbidden), Does.Contain("signature"));
        var expired = codec.Sign(new EntryPassClaims(_user.Id, BookingDriver.TestConcertId, Guid.NewGuid(), DateTimeOffset.UtcNow.AddMinutes(-1)));
        Assert.That(await AssertProblem(await Booking.ReserveRawAsync(_user, seat.Id, expired), HttpStatusCode.Forbidden), Does.Contain("expired"));
        Assert.That(await AssertProblem(await Booking.ReserveRawAsync(_otherUser, seat.Id, pass), HttpStatusCode.Forbidden), Does.Contain("another user"));
        var otherConcert = codec.Sign(new EntryPassClaims(_user.Id, demoConcert, Guid.NewGuid(), inAMinute));
        Assert.That(await AssertProblem(await Booking.ReserveRawAsync(_user, seat.Id, otherConcert), HttpStatusCode.Forbidden), Does.Contain("another concert"));
        var tooLong = codec.Sign(new EntryPassClaims(_user.Id, BookingDriver.TestConcertId, Guid.NewGuid(), DateTimeOffset.UtcNow.AddHours(1)));
        Assert.That(await AssertProblem(await Booking.ReserveRawAsync(_user, seat.Id, tooLong), HttpStatusCode.Forbidden), Does.Contain("longer than a hold"));

        await AssertNoReservationsAsync(seat.Id, "T11");
    }

    [Test]
    public async Task An_entry_pass_with_an_expiry_past_year_9999_is_401_even_when_signed_with_the_key()
    {
        var seat = await Booking.SeatAsync("T14");
        var key = BookingSystem.Concert.Services.GetRequiredService<IOptions<EntryPassOptions>>().Value.SigningKey;

        // Seconds past 9999-12-31T23:59:59Z, up to long.MaxValue and past it: no signer writes them, a forger might.
        foreach (var expiry in new[] { "253402300800", "99999999999999", "9223372036854775807", "18446744073709551616" })
        {
            var pass = SignRaw(key, $"v1|{_user:N}|{BookingDriver.TestConcertId:N}|{Guid.NewGuid():N}|{expiry}");
            Assert.That(await AssertProblem(await Booking.ReserveRawAsync(_user, seat.Id, pass), HttpStatusCode.Unauthorized), Does.Contain("could not be read"),
                $"expiry {expiry}");
        }

        await AssertNoReservationsAsync(seat.Id, "T14");
    }

    [Test]
    public async Task Wallet_charges_must_be_positive_bounded_amounts_with_two_decimals_for_known_users()
    {
        var balance = (await Booking.ChargeAsync(_otherUser, 10.00m)).Balance;

        foreach (var body in new object[] { new { }, new { amount = 0m }, new { amount = -5m }, new { amount = 1_000.01m }, new { amount = 1e15m }, new { amount = 1.005m } })
        {
            await AssertProblem(await Booking.ChargeRawAsync(_otherUser, body), HttpStatusCode.BadRequest);
        }

        await AssertProblem(await Booking.Payment.SendAsync(new HttpRequestMessage(HttpMethod.Post, $"/wallets/{_otherUser.Id}/charge")
        {
            Content = new StringContent("{\"amount\":\"lots\"}", System.Text.Encoding.UTF8, "application/json"),
            Headers = { Authorization = _otherUser.Bearer },
        }), HttpStatusCode.BadRequest);
        var stranger = Stranger();
        await AssertProblem(await Booking.ChargeRawAsync(stranger, new { amount = 5m }, walletOf: stranger.Id), HttpStatusCode.NotFound);
        await AssertProblem(await Booking.Payment.SendAsAsync(stranger, HttpMethod.Get, $"/wallets/{stranger.Id}"), HttpStatusCode.NotFound);
        Assert.That(await Booking.BalanceAsync(_otherUser), Is.EqualTo(balance));
    }

    [Test]
    public async Task Payments_are_refused_for_unknown_ids_missing_keys_and_someone_elses_reservation()
    {
        var reservation = await Booking.ReserveAsync(_user, (await Booking.SeatAsync("T12")).Id, await Booking.EntryPassAsync(_user));
        await Booking.WaitPayableAsync(_user, reservation.Id, "Pending");
        await Booking.ChargeAsync(_user, 100.00m);
        await Booking.ChargeAsync(_otherUser, 100.00m);
        var otherBalance = await Booking.BalanceAsync(_otherUser);

        await AssertProblem(await Booking.PayRawAsync(reservation.Id, _user, null), HttpStatusCode.BadRequest);
        await AssertProblem(await Booking.PayRawAsync(reservation.Id, _user, new string('k', 101)), HttpStatusCode.BadRequest);
        await AssertProblem(await Booking.Payment.SendAsAsync(_user, HttpMethod.Post, "/payments", new { }), HttpStatusCode.BadRequest);
        await AssertProblem(await Booking.PayRawAsync(Guid.NewGuid(), _user, Guid.NewGuid().ToString()), HttpStatusCode.NotFound);
        await AssertProblem(await Booking.PayRawAsync(reservation.Id, Stranger(), Guid.NewGuid().ToString()), HttpStatusCode.UnprocessableEntity);
        // Someone else's reservation is not theirs to pay, nor to know of: the same 404 as an unknown one.
        await AssertProblem(await Booking.PayRawAsync(reservation.Id, _otherUser, Guid.NewGuid().ToString()), HttpStatusCode.NotFound);
        await AssertProblem(await Booking.Payment.SendAsAsync(_user, HttpMethod.Get, $"/payments/{Guid.NewGuid()}"), HttpStatusCode.NotFound);

        Assert.That(await CountAsync<PaymentDbContext>(BookingSystem.Payment.Services, db => db.Payments.CountAsync(p => p.ReservationId == reservation.Id)), Is.Zero);
        Assert.That(await Booking.BalanceAsync(_user), Is.EqualTo(100.00m));
        Assert.That(await Booking.BalanceAsync(_otherUser), Is.EqualTo(otherBalance));

        // A key already used for another payment cannot be reused for a different one.
        var key = Guid.NewGuid().ToString();
        Assert.That((await Booking.PayRawAsync(reservation.Id, _user, key)).StatusCode, Is.EqualTo(HttpStatusCode.Created));
        await Booking.WaitReservationAsync(_user, reservation.Id, "Confirmed"); // until then the pass still holds T12
        var other = await Booking.ReserveAsync(_user, (await Booking.SeatAsync("T13")).Id, await Booking.EntryPassAsync(_user));
        await Booking.WaitPayableAsync(_user, other.Id, "Pending");
        await AssertProblem(await Booking.PayRawAsync(other.Id, _user, key), HttpStatusCode.UnprocessableEntity);
        Assert.That(await Booking.BalanceAsync(_user), Is.EqualTo(100.00m - BookingDriver.TestSeatPrice));
    }

    /// <summary>A pass as the codec would write it, for any payload: signed with the real key.</summary>
    private static string SignRaw(string key, string payload)
    {
        var bytes = System.Text.Encoding.UTF8.GetBytes(payload);
        var signature = System.Security.Cryptography.HMACSHA256.HashData(System.Text.Encoding.UTF8.GetBytes(key), bytes);
        return $"{Base64Url(bytes)}.{Base64Url(signature)}";
    }

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private async Task AssertNoReservationsAsync(Guid seatId, string label)
    {
        Assert.That(await CountAsync<ConcertDbContext>(BookingSystem.Concert.Services, db => db.Reservations.CountAsync(r => r.SeatId == seatId)), Is.Zero);
        Assert.That((await Booking.SeatAsync(label)).Status, Is.EqualTo("Available"));
    }

    /// <returns>The problem document, for the caller to check what it says.</returns>
    private static async Task<string> AssertProblem(HttpResponseMessage response, HttpStatusCode status)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.That(response.StatusCode, Is.EqualTo(status), body);
        Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/problem+json"), body);
        return body;
    }

    private static async Task<int> CountAsync<TDbContext>(IServiceProvider services, Func<TDbContext, Task<int>> count) where TDbContext : DbContext
    {
        await using var scope = services.CreateAsyncScope();
        return await count(scope.ServiceProvider.GetRequiredService<TDbContext>());
    }
}
