using ConcertBooking.ConcertService;
using ConcertBooking.ConcertService.Concerts;
using ConcertBooking.ConcertService.Data;
using ConcertBooking.ConcertService.Reservations;
using ConcertBooking.Contracts;
using ConcertBooking.Tests.Infrastructure;

namespace ConcertBooking.Tests.Specs;

/// <summary>ConfirmReservation on the test harness with a real PostgreSQL database.</summary>
[TestFixture]
[Category(TestCategories.Specs)]
public sealed class ConfirmReservationSpecs
{
    private ConsumerSpecHost<ConcertDbContext, PostgresConcertDbContext> _host = null!;
    private Guid _concertId;

    [OneTimeSetUp]
    public async Task Start()
    {
        _host = await ConsumerSpecHost<ConcertDbContext, PostgresConcertDbContext>.StartAsync("confirm", bus => bus.AddConcertConsumers());
        _concertId = await ConcertSpecData.ConcertAsync(_host);
    }

    [OneTimeTearDown]
    public async Task Stop() => await _host.DisposeAsync();

    [Test]
    public async Task A_payment_for_a_pending_hold_confirms_it_and_sells_the_seat_once_even_when_redelivered()
    {
        var (reservation, seat) = await ArrangeAsync(ReservationStatus.Pending, SeatStatus.Held);
        var payment = ConcertSpecData.Paid(reservation);
        var messageId = Guid.NewGuid();

        await _host.DeliverAsync(payment, messageId);
        await _host.RedeliverAsync(payment, messageId);

        var (status, seatStatus) = await ConcertSpecData.StateAsync(_host, reservation, seat);
        Assert.That(status, Is.EqualTo(ReservationStatus.Confirmed));
        Assert.That(seatStatus, Is.EqualTo(SeatStatus.Sold));
        Assert.That((await _host.OutboxAsync<ReservationConfirmed>()).Count(m => m.PartitionKey == reservation.ToString()), Is.EqualTo(1));
    }

    [Test]
    public async Task A_late_payment_is_confirmed_when_the_expired_seat_is_still_free()
    {
        var (reservation, seat) = await ArrangeAsync(ReservationStatus.Expired, SeatStatus.Available);

        await _host.DeliverAsync(ConcertSpecData.Paid(reservation));

        var (status, seatStatus) = await ConcertSpecData.StateAsync(_host, reservation, seat);
        Assert.That(status, Is.EqualTo(ReservationStatus.Confirmed));
        Assert.That(seatStatus, Is.EqualTo(SeatStatus.Sold));
        Assert.That((await _host.OutboxAsync<ReservationConfirmed>()).Count(m => m.PartitionKey == reservation.ToString()), Is.EqualTo(1));
    }

    [Test]
    public async Task A_late_payment_is_rejected_for_a_refund_when_someone_else_holds_the_seat()
    {
        var (reservation, seat) = await ArrangeAsync(ReservationStatus.Expired, SeatStatus.Held, heldByAnother: true);

        await _host.DeliverAsync(ConcertSpecData.Paid(reservation));

        var (status, seatStatus) = await ConcertSpecData.StateAsync(_host, reservation, seat);
        Assert.That(status, Is.EqualTo(ReservationStatus.Rejected));
        Assert.That(seatStatus, Is.EqualTo(SeatStatus.Held), "the other holder keeps the seat");
        Assert.That((await _host.OutboxAsync<ReservationRejected>()).Count(m => m.PartitionKey == reservation.ToString()), Is.EqualTo(1));
        Assert.That((await _host.OutboxAsync<ReservationConfirmed>()).Count(m => m.PartitionKey == reservation.ToString()), Is.Zero);
    }

    [Test]
    public async Task A_payment_asked_about_again_gets_its_outcome_stated_again_and_nothing_else_changes()
    {
        var (confirmed, confirmedSeat) = await ArrangeAsync(ReservationStatus.Pending, SeatStatus.Held);
        var (rejected, _) = await ArrangeAsync(ReservationStatus.Expired, SeatStatus.Held, heldByAnother: true);
        var confirmedPayment = ConcertSpecData.Paid(confirmed);
        var rejectedPayment = ConcertSpecData.Paid(rejected);
        await _host.DeliverAsync(confirmedPayment);
        await _host.DeliverAsync(rejectedPayment);

        // PaymentService's reconciliation: the same payment, as a new message.
        await _host.DeliverAsync(confirmedPayment);
        await _host.DeliverAsync(rejectedPayment);

        Assert.That(await ConcertSpecData.StateAsync(_host, confirmed, confirmedSeat), Is.EqualTo((ReservationStatus.Confirmed, SeatStatus.Sold)));
        Assert.That((await _host.OutboxAsync<ReservationConfirmed>()).Count(m => m.PartitionKey == confirmed.ToString()), Is.EqualTo(2));
        Assert.That((await _host.OutboxAsync<ReservationRejected>()).Count(m => m.PartitionKey == rejected.ToString()), Is.EqualTo(2));
        Assert.That((await _host.OutboxAsync<ReservationConfirmed>()).Count(m => m.PartitionKey == rejected.ToString()), Is.Zero);
    }

    private Task<(Guid Reservation, Guid Seat)> ArrangeAsync(ReservationStatus status, SeatStatus seatStatus, bool heldByAnother = false) =>
        ConcertSpecData.ReservationAsync(_host, _concertId, status, seatStatus, heldByAnother);
}
