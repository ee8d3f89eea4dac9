using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using ConcertBooking.Tests.Infrastructure;

namespace ConcertBooking.Tests.Integration;

/// <summary>
/// PaymentFailed has a consumer: ConcertService records a reservation's last refused payment, so that the client
/// holding the reservation can see why it is still pending (and, with mandatory publishing on RabbitMQ, so that the
/// event is routable at all).
/// </summary>
[TestFixture(TestTransport.RabbitMq)]
[TestFixture(TestTransport.Kafka)]
[Category(TestCategories.Integration)]
public sealed class PaymentFailureTests(TestTransport transport)
{
    [Test]
    public async Task A_refused_payment_shows_on_the_reservation_in_ConcertService()
    {
        await using var system = await ConcertBookingSystem.StartAsync(BookingDriver.Options(transport: transport));
        using var booking = new BookingDriver(system);
        var user = await booking.SignUpReplicatedAsync("Short Of Money");
        var reservation = await booking.ReserveAsync(user, (await booking.SeatAsync("T7")).Id, await booking.EntryPassAsync(user));
        await booking.WaitPayableAsync(user, reservation.Id, "Pending");
        Assert.That((await booking.Concert.SendAsAsync(user, HttpMethod.Get, $"/reservations/{reservation.Id}/last-payment-failure")).StatusCode,
            Is.EqualTo(HttpStatusCode.NotFound), "no refused payment yet");
        await booking.ChargeAsync(user, 5.00m);

        var refused = await booking.PayRawAsync(reservation.Id, user, $"pay-{Guid.NewGuid():N}");
        Assert.That(refused.StatusCode, Is.EqualTo(HttpStatusCode.PaymentRequired));

        var failure = await Eventually.Until(async () =>
        {
            using var response = await booking.Concert.SendAsAsync(user, HttpMethod.Get, $"/reservations/{reservation.Id}/last-payment-failure");
            return response.IsSuccessStatusCode ? await response.Content.ReadFromJsonAsync<JsonNode>() : null;
        }, found => found is not null, "ConcertService to record the refused payment");
        TestContext.Out.WriteLine($"Verified: {failure!.ToJsonString()}");
        Assert.Multiple(() =>
        {
            Assert.That(failure["reservationId"]!.GetValue<Guid>(), Is.EqualTo(reservation.Id));
            Assert.That(failure["amount"]!.GetValue<decimal>(), Is.EqualTo(BookingDriver.TestSeatPrice));
            Assert.That(failure["reason"]!.GetValue<string>(), Is.Not.Empty);
            Assert.That(failure["failures"]!.GetValue<int>(), Is.EqualTo(1));
        });
    }
}
