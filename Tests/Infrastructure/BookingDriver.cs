using System.Net;
using System.Net.Http.Json;
using ConcertBooking.ConcertService.Concerts;
using ConcertBooking.ConcertService.Reservations;
using ConcertBooking.Messaging.Outbox;
using ConcertBooking.PaymentService.Payments;
using ConcertBooking.PaymentService.Wallets;
using ConcertBooking.TokenService.Queue;
using Microsoft.EntityFrameworkCore;

namespace ConcertBooking.Tests.Infrastructure;

/// <summary>
/// Drives the booking flow over HTTP against a <see cref="ConcertBookingSystem"/>, one client per service, the way
/// a client application would: signed in, each request with the user's access token, and no test reaches around the
/// APIs except to look at outboxes and rows.
/// </summary>
public sealed class BookingDriver(ConcertBookingSystem system) : IDisposable
{
    /// <summary>A concert of 60 seats, "T1".."T60", added to every booking test system next to the demo concerts.</summary>
    public static readonly Guid TestConcertId = Guid.Parse("7e570000-0000-4000-8000-000000000001");

    public const decimal TestSeatPrice = 20.00m;

    private readonly System.Collections.Concurrent.ConcurrentDictionary<Guid, Task> _knownConcerts = new();

    public HttpClient Users { get; } = system.Users.CreateClient();

    public HttpClient Concert { get; } = system.Concert.CreateClient();

    public HttpClient Payment { get; } = system.Payment.CreateClient();

    public HttpClient Token { get; } = system.Token.CreateClient();

    public ConcertBookingSystem System => system;

    /// <summary>ConcertService settings for a demo concert of one row of <paramref name="seats"/> seats at 10.00, as entry <paramref name="index"/>.</summary>
    public static (string Key, string Value)[] SmallConcert(int index, Guid id, string row, int seats) =>
    [
        ($"Concerts:Demo:{index}:Id", id.ToString()),
        ($"Concerts:Demo:{index}:Name", $"Concert of {seats} seats"),
        ($"Concerts:Demo:{index}:Venue", "Small hall"),
        ($"Concerts:Demo:{index}:StartsAt", "2030-01-02T20:00:00+00:00"),
        ($"Concerts:Demo:{index}:Rows:0", row),
        ($"Concerts:Demo:{index}:SeatsPerRow", seats.ToString(global::System.Globalization.CultureInfo.InvariantCulture)),
        ($"Concerts:Demo:{index}:Price", "10.00"),
    ];

    /// <summary>
    /// Fast admissions, the test concert and one-second grace periods around a hold's expiry; <paramref name="concert"/>,
    /// <paramref name="token"/> and <paramref name="payment"/> add or override ConcertService, TokenService and
    /// PaymentService settings (hold time, admission lifetime...).
    /// </summary>
    public static SystemOptions Options((string Key, string Value)[]? concert = null, (string Key, string Value)[]? token = null,
        TestTransport transport = TestTransport.RabbitMq, (string Key, string Value)[]? payment = null) => new()
    {
        Transport = transport,
        Settings = service => service switch
        {
            "payment" =>
            [
                new("Payments:Grace", "00:00:01"),
                new("Payments:ReconcileInterval", "00:00:00.200"),
                .. (payment ?? []).Select(c => new KeyValuePair<string, string?>(c.Key, c.Value)),
            ],
            "token" =>
            [
                new("Queue:AdmissionInterval", "00:00:00.100"),
                new("Queue:AdmitPerInterval", "100"),
                .. (token ?? []).Select(c => new KeyValuePair<string, string?>(c.Key, c.Value)),
            ],
            "concert" =>
            [
                new("Concerts:Demo:2:Id", TestConcertId.ToString()),
                new("Concerts:Demo:2:Name", "Test concert"),
                new("Concerts:Demo:2:Venue", "Test hall"),
                new("Concerts:Demo:2:StartsAt", "2030-01-01T20:00:00+00:00"),
                new("Concerts:Demo:2:Rows:0", "T"),
                new("Concerts:Demo:2:SeatsPerRow", "60"),
                new("Concerts:Demo:2:Price", TestSeatPrice.ToString(global::System.Globalization.CultureInfo.InvariantCulture)),
                new("Reservations:ExpiryGrace", "00:00:01"),
                .. (concert ?? []).Select(c => new KeyValuePair<string, string?>(c.Key, c.Value)),
            ],
            _ => [],
        },
    };

    /// <summary>Signs a user up and in, and waits until all three replicas hold it.</summary>
    public async Task<TestUser> SignUpReplicatedAsync(string name = "Fan")
    {
        var user = await Users.SignUpAndInAsync(name);
        await system.AllReplicasReachAsync(user.Id, version: 1);
        return user;
    }

    /// <summary>Once TokenService knows the concert (it learns the seeded ones from ConcertService's events at start).</summary>
    public async Task<HttpResponseMessage> EnterQueueRawAsync(Guid concertId, TestUser? user)
    {
        await _knownConcerts.GetOrAdd(concertId, system.ConcertReplicatedAsync);
        return await Token.SendAsAsync(user, HttpMethod.Post, $"/queue/{concertId}/tokens");
    }

    public async Task<QueueTokenResponse> EnterQueueAsync(Guid concertId, TestUser user)
    {
        var response = await EnterQueueRawAsync(concertId, user);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created).Or.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<QueueTokenResponse>())!;
    }

    public Task<QueueTokenResponse> QueueTokenAsync(TestUser user, Guid tokenId) => Token.GetAsAsync<QueueTokenResponse>(user, $"/queue/tokens/{tokenId}");

    public async Task<QueueTokenResponse> WaitUntilAdmittedAsync(TestUser user, Guid tokenId) =>
        await Eventually.Until(() => QueueTokenAsync(user, tokenId), token => token.Status == "Admitted", $"queue token {tokenId} admitted");

    /// <summary>Queue, admission and the entry pass for the user at the concert.</summary>
    public async Task<string> EntryPassAsync(TestUser user, Guid? concertId = null)
    {
        var token = await EnterQueueAsync(concertId ?? TestConcertId, user);
        return (await WaitUntilAdmittedAsync(user, token.TokenId)).EntryPass!;
    }

    public async Task<List<SeatResponse>> SeatsAsync(Guid? concertId = null) =>
        (await Concert.GetFromJsonAsync<List<SeatResponse>>($"/concerts/{concertId ?? TestConcertId}/seats"))!;

    public async Task<SeatResponse> SeatAsync(string label) => (await SeatsAsync()).Single(s => s.Label == label);

    public Task<HttpResponseMessage> ReserveRawAsync(TestUser? user, Guid seatId, string? entryPass) =>
        SendReservationAsync(user, new { seatId }, entryPass);

    /// <summary>A hold of any free seat of the concert.</summary>
    public Task<HttpResponseMessage> ReserveAnyRawAsync(TestUser? user, Guid concertId, string? entryPass) =>
        SendReservationAsync(user, new { concertId }, entryPass);

    private async Task<HttpResponseMessage> SendReservationAsync(TestUser? user, object body, string? entryPass)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/reservations") { Content = JsonContent.Create(body) };
        request.Headers.Authorization = user?.Bearer;
        if (entryPass is not null)
        {
            request.Headers.Add(ReservationsApi.EntryPassHeader, entryPass);
        }

        return await Concert.SendAsync(request);
    }

    public async Task<ReservationResponse> ReserveAsync(TestUser user, Guid seatId, string entryPass)
    {
        var response = await ReserveRawAsync(user, seatId, entryPass);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created), await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<ReservationResponse>())!;
    }

    public Task<ReservationResponse> ReservationAsync(TestUser user, Guid reservationId) =>
        Concert.GetAsAsync<ReservationResponse>(user, $"/reservations/{reservationId}");

    public async Task<ReservationResponse> WaitReservationAsync(TestUser user, Guid reservationId, string status) =>
        await Eventually.Until(() => ReservationAsync(user, reservationId), r => r.Status == status, $"reservation {reservationId} {status} in ConcertService");

    /// <summary>Waits until PaymentService's view of the reservation has the status (Pending once ReservationCreated arrived).</summary>
    public async Task<PayableReservationResponse> WaitPayableAsync(TestUser user, Guid reservationId, string status) =>
        (await Eventually.Until(
            async () =>
            {
                var response = await Payment.SendAsAsync(user, HttpMethod.Get, $"/payable-reservations/{reservationId}");
                return response.IsSuccessStatusCode ? await response.Content.ReadFromJsonAsync<PayableReservationResponse>() : null;
            },
            r => r?.Status == status,
            $"reservation {reservationId} {status} in PaymentService"))!;

    /// <summary>Charges <paramref name="walletOf"/>'s wallet with <paramref name="user"/>'s token (the same user, unless a test says otherwise).</summary>
    public Task<HttpResponseMessage> ChargeRawAsync(TestUser? user, object body, Guid? walletOf = null) =>
        Payment.SendAsAsync(user, HttpMethod.Post, $"/wallets/{walletOf ?? user!.Id}/charge", body);

    public async Task<WalletResponse> ChargeAsync(TestUser user, decimal amount)
    {
        var response = await ChargeRawAsync(user, new { amount });
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<WalletResponse>())!;
    }

    public async Task<decimal> BalanceAsync(TestUser user) => (await Payment.GetAsAsync<WalletResponse>(user, $"/wallets/{user.Id}")).Balance;

    public async Task<HttpResponseMessage> PayRawAsync(Guid reservationId, TestUser? user, string? idempotencyKey)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/payments") { Content = JsonContent.Create(new { reservationId }) };
        request.Headers.Authorization = user?.Bearer;
        if (idempotencyKey is not null)
        {
            request.Headers.Add(PaymentsApi.IdempotencyKeyHeader, idempotencyKey);
        }

        return await Payment.SendAsync(request);
    }

    /// <summary>The events a service staged in its outbox, of one type, as (message type, body) pairs.</summary>
    public static async Task<List<OutboxMessage>> OutboxOfAsync<TDbContext, TMessage>(IServiceProvider services) where TDbContext : DbContext =>
        (await MessagingProbes.OutboxAsync<TDbContext>(services)).Where(m => m.MessageType.StartsWith(typeof(TMessage).FullName + ",", StringComparison.Ordinal)).ToList();

    /// <summary>
    /// The whole flow for an already replicated user: queue, admission, reserve, charge, pay, then waits until the
    /// reservation is Confirmed and the seat Sold in ConcertService and Confirmed in PaymentService.
    /// </summary>
    public async Task<(ReservationResponse Reservation, PaymentResponse Payment)> BookAsync(TestUser user, string seatLabel)
    {
        var pass = await EntryPassAsync(user);
        var seat = await SeatAsync(seatLabel);
        var reservation = await ReserveAsync(user, seat.Id, pass);
        Assert.That(reservation.Status, Is.EqualTo("Pending"));
        Assert.That((await SeatAsync(seatLabel)).Status, Is.EqualTo("Held"));

        await WaitPayableAsync(user, reservation.Id, "Pending");
        await ChargeAsync(user, 100.00m);
        var paid = await PayRawAsync(reservation.Id, user, Guid.NewGuid().ToString());
        Assert.That(paid.StatusCode, Is.EqualTo(HttpStatusCode.Created), await paid.Content.ReadAsStringAsync());
        var payment = (await paid.Content.ReadFromJsonAsync<PaymentResponse>())!;

        var confirmed = await WaitReservationAsync(user, reservation.Id, "Confirmed");
        await WaitPayableAsync(user, reservation.Id, "Confirmed");
        return (confirmed, payment);
    }

    public void Dispose()
    {
        Users.Dispose();
        Concert.Dispose();
        Payment.Dispose();
        Token.Dispose();
    }
}
