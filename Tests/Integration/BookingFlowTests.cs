using System.Net;
using System.Net.Http.Json;
using ConcertBooking.ConcertService.Data;
using ConcertBooking.Contracts;
using ConcertBooking.Messaging;
using ConcertBooking.PaymentService.Data;
using ConcertBooking.PaymentService.Payments;
using ConcertBooking.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ConcertBooking.Tests.Integration;

/// <summary>
/// The booking flow on a real broker (RabbitMQ, and Kafka on librdkafka's mock cluster) and PostgreSQL: every check
/// is local, every hand-over an event.
/// </summary>
[TestFixture(TestTransport.RabbitMq)]
[TestFixture(TestTransport.Kafka)]
[Category(TestCategories.Integration)]
public sealed class BookingFlowTests(TestTransport transport) : BookingSystemFixture
{

    protected override SystemOptions SystemSettings() => BookingDriver.Options(transport: transport);

    [Test]
    public async Task A_booking_is_confirmed_and_the_seat_sold_in_every_service_view()
    {
        var user = await Booking.SignUpReplicatedAsync("Ada");

        var entered = await Booking.EnterQueueRawAsync(BookingDriver.TestConcertId, user);
        Assert.That(entered.StatusCode, Is.EqualTo(HttpStatusCode.Created));
        var token = (await entered.Content.ReadFromJsonAsync<TokenService.Queue.QueueTokenResponse>())!;
        var again = await Booking.EnterQueueAsync(BookingDriver.TestConcertId, user);
        Assert.That(again.TokenId, Is.EqualTo(token.TokenId), "entering again returns the same token");

        var (reservation, payment) = await Booking.BookAsync(user, "T1");

        Assert.Multiple(async () =>
        {
            Assert.That(reservation.PaymentId, Is.EqualTo(payment.Id));
            Assert.That(reservation.Amount, Is.EqualTo(BookingDriver.TestSeatPrice));
            Assert.That(payment.Amount, Is.EqualTo(BookingDriver.TestSeatPrice));
            Assert.That((await Booking.SeatAsync("T1")).Status, Is.EqualTo("Sold"));
            Assert.That(await Booking.BalanceAsync(user), Is.EqualTo(100.00m - BookingDriver.TestSeatPrice));
            Assert.That((await Booking.Payment.GetAsAsync<PaymentResponse>(user, $"/payments/{payment.Id}")).Status, Is.EqualTo("Completed"));
            Assert.That(await BookingDriver.OutboxOfAsync<ConcertDbContext, ReservationConfirmed>(BookingSystem.Concert.Services), Has.Count.EqualTo(1));
        });
    }

    [Test]
    public async Task Fifty_concurrent_reservations_of_one_seat_have_exactly_one_winner()
    {
        var users = await Task.WhenAll(Enumerable.Range(0, 50).Select(i => Booking.SignUpReplicatedAsync($"Racer {i}")));
        var passes = await Task.WhenAll(users.Select(u => Booking.EntryPassAsync(u)));
        var seat = await Booking.SeatAsync("T2");

        var responses = await Task.WhenAll(users.Select((u, i) => Booking.ReserveRawAsync(u, seat.Id, passes[i])));

        var statuses = responses.Select(r => r.StatusCode).ToList();
        Assert.Multiple(async () =>
        {
            Assert.That(statuses.Count(s => s == HttpStatusCode.Created), Is.EqualTo(1), string.Join(", ", statuses));
            Assert.That(statuses.Count(s => s == HttpStatusCode.Conflict), Is.EqualTo(49));
            Assert.That(responses.Where(r => r.StatusCode == HttpStatusCode.Conflict).Select(r => r.Content.Headers.ContentType?.MediaType),
                Is.All.EqualTo("application/problem+json"));
            var rows = await BookingSystem.Concert.WithScopeAsync(s => s.GetRequiredService<ConcertDbContext>().Reservations.CountAsync(r => r.SeatId == seat.Id));
            Assert.That(rows, Is.EqualTo(1), "one reservation row for the seat");
            Assert.That((await Booking.SeatAsync("T2")).Status, Is.EqualTo("Held"));
        });
    }

    [Test]
    public async Task The_same_payment_sent_ten_times_at_once_debits_once()
    {
        var user = await Booking.SignUpReplicatedAsync("Grace");
        var reservation = await Booking.ReserveAsync(user, (await Booking.SeatAsync("T3")).Id, await Booking.EntryPassAsync(user));
        await Booking.WaitPayableAsync(user, reservation.Id, "Pending");
        await Booking.ChargeAsync(user, 50.00m);
        var key = $"pay-{Guid.NewGuid():N}";

        var answers = await PayAtOnceAsync(reservation.Id, user, key, times: 10);

        Assert.Multiple(async () =>
        {
            Assert.That(answers.Count(a => !a.Replayed), Is.EqualTo(1), "one request made the payment; the others replayed it");
            Assert.That(answers.Select(a => a.Payment.Id).Distinct().Count(), Is.EqualTo(1), "every answer is the same payment");
            Assert.That(await Booking.BalanceAsync(user), Is.EqualTo(50.00m - BookingDriver.TestSeatPrice), "debited once");
            var completed = await BookingDriver.OutboxOfAsync<PaymentDbContext, PaymentCompleted>(BookingSystem.Payment.Services);
            Assert.That(completed.Count(m => m.PartitionKey == reservation.Id.ToString()), Is.EqualTo(1));
        });
        await Booking.WaitReservationAsync(user, reservation.Id, "Confirmed");

        var later = await Booking.PayRawAsync(reservation.Id, user, key);
        Assert.That(later.StatusCode, Is.EqualTo(HttpStatusCode.Created), "a later retry with the key replays the payment's answer");
        Assert.That(later.Headers.GetValues(PaymentsApi.ReplayedHeader), Is.EqualTo(new[] { "true" }));
        Assert.That(await later.Content.ReadAsStringAsync(), Is.EqualTo(answers[0].Body));
        Assert.That(await Booking.BalanceAsync(user), Is.EqualTo(50.00m - BookingDriver.TestSeatPrice));
    }

    [Test]
    public async Task A_payment_retried_while_the_first_is_in_flight_replays_its_answer_even_when_the_balance_covers_one()
    {
        var user = await Booking.SignUpReplicatedAsync("Exact");
        var reservation = await Booking.ReserveAsync(user, (await Booking.SeatAsync("T8")).Id, await Booking.EntryPassAsync(user));
        await Booking.WaitPayableAsync(user, reservation.Id, "Pending");
        // Exactly the price: a request that debits again after the first committed finds the wallet empty.
        await Booking.ChargeAsync(user, BookingDriver.TestSeatPrice);
        var key = $"pay-{Guid.NewGuid():N}";

        var answers = await PayAtOnceAsync(reservation.Id, user, key, times: 20);

        Assert.Multiple(async () =>
        {
            Assert.That(answers.Select(a => a.Body).Distinct().Count(), Is.EqualTo(1), "every answer has the first one's body");
            Assert.That(answers.Count(a => !a.Replayed), Is.EqualTo(1));
            Assert.That(await Booking.BalanceAsync(user), Is.Zero, "debited once");
            var failed = await BookingDriver.OutboxOfAsync<PaymentDbContext, PaymentFailed>(BookingSystem.Payment.Services);
            Assert.That(failed.Count(m => m.PartitionKey == reservation.Id.ToString()), Is.Zero, "no PaymentFailed for a paid reservation");
            Assert.That((await Booking.WaitPayableAsync(user, reservation.Id, "Confirmed")).Status, Is.EqualTo("Confirmed"));
        });
    }

    /// <summary>
    /// Sends the same payment <paramref name="times"/> times at once; each must answer 201 with the payment (the
    /// first one's answer, replayed), and says whether it was a replay.
    /// </summary>
    private async Task<List<(PaymentResponse Payment, string Body, bool Replayed)>> PayAtOnceAsync(Guid reservationId, TestUser user, string key, int times)
    {
        var responses = await Task.WhenAll(Enumerable.Range(0, times).Select(_ => Booking.PayRawAsync(reservationId, user, key)));
        var answers = new List<(PaymentResponse, string, bool)>();
        foreach (var response in responses)
        {
            var body = await response.Content.ReadAsStringAsync();
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created), body);
            var payment = (await response.Content.ReadFromJsonAsync<PaymentResponse>())!;
            Assert.That(response.Headers.Location, Is.EqualTo(new Uri($"/payments/{payment.Id}", UriKind.Relative)));
            answers.Add((payment, body, response.Headers.Contains(PaymentsApi.ReplayedHeader)));
        }

        return answers;
    }

    [Test]
    public async Task Paying_with_too_little_in_the_wallet_is_refused_with_402_and_PaymentFailed()
    {
        var user = await Booking.SignUpReplicatedAsync("Poor");
        var reservation = await Booking.ReserveAsync(user, (await Booking.SeatAsync("T4")).Id, await Booking.EntryPassAsync(user));
        await Booking.WaitPayableAsync(user, reservation.Id, "Pending");
        await Booking.ChargeAsync(user, 5.00m);
        var key = $"pay-{Guid.NewGuid():N}";

        var refused = await Booking.PayRawAsync(reservation.Id, user, key);

        Assert.That(refused.StatusCode, Is.EqualTo(HttpStatusCode.PaymentRequired));
        Assert.That(refused.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/problem+json"));
        Assert.That(await Booking.BalanceAsync(user), Is.EqualTo(5.00m));
        var failed = await BookingDriver.OutboxOfAsync<PaymentDbContext, PaymentFailed>(BookingSystem.Payment.Services);
        Assert.That(failed.Count(m => m.PartitionKey == reservation.Id.ToString()), Is.EqualTo(1));

        // Nothing was stored under the key: after a top-up the same key pays.
        await Booking.ChargeAsync(user, 20.00m);
        var paid = await Booking.PayRawAsync(reservation.Id, user, key);
        Assert.That(paid.StatusCode, Is.EqualTo(HttpStatusCode.Created));
        Assert.That(await Booking.BalanceAsync(user), Is.EqualTo(25.00m - BookingDriver.TestSeatPrice));
    }
}
