using System.Net;
using ConcertBooking.ConcertService.Consumers;
using ConcertBooking.ConcertService.Data;
using ConcertBooking.Contracts;
using ConcertBooking.PaymentService.Data;
using ConcertBooking.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;

namespace ConcertBooking.Tests.Integration;

/// <summary>
/// Money is never stranded (issue 12, finding 3): a payment whose outcome is dead-lettered still ends in a confirmed
/// seat or a refund, with no operator replaying anything.
/// </summary>
[TestFixture(TestTransport.RabbitMq)]
[TestFixture(TestTransport.Kafka)]
[Category(TestCategories.Integration)]
public sealed class StrandedMoneyTests(TestTransport transport)
{
    [Test]
    public async Task A_dead_lettered_PaymentCompleted_still_ends_in_a_confirmed_seat_with_no_operator_action()
    {
        // ConcertService fails every attempt at the first PaymentCompleted, so it is dead-lettered; a re-send is a new message.
        var confirm = new ConsumerFault(nameof(ConfirmPaidReservation)).FailFirstMessage(ConsumerFault.Permanent);
        var options = BookingDriver.Options(transport: transport,
            concert: [("Reservations:HoldTime", "00:00:06"), ("Reservations:SweepInterval", "00:00:00.200")],
            token: [("Queue:AdmissionLifetime", "00:00:06")]);
        await using var system = await ConcertBookingSystem.StartAsync(new SystemOptions
        {
            Transport = options.Transport,
            Settings = options.Settings,
            TestServices = service => service == "concert" ? services => services.AddSingleton<IInterceptor>(confirm) : null,
        });
        using var booking = new BookingDriver(system);
        var user = await booking.SignUpReplicatedAsync("Stranded");
        var reservation = await booking.ReserveAsync(user, (await booking.SeatAsync("T9")).Id, await booking.EntryPassAsync(user));
        await booking.WaitPayableAsync(user, reservation.Id, "Pending");
        await booking.ChargeAsync(user, 100.00m);

        var paid = await booking.PayRawAsync(reservation.Id, user, Guid.NewGuid().ToString());

        Assert.That(paid.StatusCode, Is.EqualTo(HttpStatusCode.Created), await paid.Content.ReadAsStringAsync());
        await booking.WaitReservationAsync(user, reservation.Id, "Confirmed");
        await booking.WaitPayableAsync(user, reservation.Id, "Confirmed");
        var sent = await BookingDriver.OutboxOfAsync<PaymentDbContext, PaymentCompleted>(system.Payment.Services);
        var deadLettered = confirm.FirstMessage;
        Assert.Multiple(async () =>
        {
            Assert.That(deadLettered, Is.Not.Null, "the first PaymentCompleted reached ConcertService and failed there");
            Assert.That(await MessagingProbes.InboxEntriesAsync<ConcertDbContext>(system.Concert.Services, deadLettered!.Value), Is.Zero,
                "the first PaymentCompleted was never consumed: the re-sent one confirmed the seat");
            Assert.That(sent.Count(m => m.PartitionKey == reservation.Id.ToString()), Is.GreaterThanOrEqualTo(2),
                "PaymentService sent PaymentCompleted again");
            Assert.That((await booking.SeatAsync("T9")).Status, Is.EqualTo("Sold"));
            Assert.That(await booking.BalanceAsync(user), Is.EqualTo(100.00m - BookingDriver.TestSeatPrice), "charged once");
        });
    }
}
