using ConcertBooking.ConcertService;
using ConcertBooking.ConcertService.Concerts;
using ConcertBooking.ConcertService.Data;
using ConcertBooking.ConcertService.Reservations;
using ConcertBooking.Contracts;
using ConcertBooking.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.Extensions.DependencyInjection;

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

    [Test]
    public async Task Two_copies_of_a_late_payment_racing_each_other_sell_the_seat_once_and_never_ask_for_a_refund()
    {
        // The original and a reconciliation copy of one payment (two MessageIds, so the inbox lets both in), handled at
        // once: by two instances, or by one consuming two messages concurrently.
        var (reservation, seat) = await ArrangeAsync(ReservationStatus.Expired, SeatStatus.Available);
        var payment = ConcertSpecData.Paid(reservation);

        await using (var first = await UncommittedConfirmationAsync(payment))
        {
            var second = Task.Run(() => ConfirmAndCommitAsync(payment));
            await Eventually.Until(async () => second.IsCompleted || await _host.AnyWaitingForALockAsync(), "the second copy decided, or waits for the first");
            await first.Transaction.CommitAsync();
            await second;
        }

        Assert.That(await ConcertSpecData.StateAsync(_host, reservation, seat), Is.EqualTo((ReservationStatus.Confirmed, SeatStatus.Sold)));
        Assert.That((await _host.OutboxAsync<ReservationRejected>()).Count(m => m.PartitionKey == reservation.ToString()), Is.Zero,
            "a refund of a sold seat");
    }

    [Test]
    public async Task A_late_payment_rejected_while_its_copy_waits_does_not_sell_the_seat_when_it_frees_up_meanwhile()
    {
        var (reservation, seat) = await ArrangeAsync(ReservationStatus.Expired, SeatStatus.Held, heldByAnother: true);
        var payment = ConcertSpecData.Paid(reservation);

        await using (var first = await UncommittedConfirmationAsync(payment))
        {
            // The other buyer's hold expires before the second copy looks at the seat.
            await _host.WithDbAsync(db => db.Seats.Where(s => s.Id == seat)
                .ExecuteUpdateAsync(set => set.SetProperty(s => s.Status, SeatStatus.Available).SetProperty(s => s.ReservationId, (Guid?)null)));
            var second = Task.Run(() => ConfirmAndCommitAsync(payment));
            await Eventually.Until(async () => second.IsCompleted || await _host.AnyWaitingForALockAsync(), "the second copy decided, or waits for the first");
            await first.Transaction.CommitAsync();
            await second;
        }

        Assert.That(await ConcertSpecData.StateAsync(_host, reservation, seat), Is.EqualTo((ReservationStatus.Rejected, SeatStatus.Available)),
            "rejected and refunded, so the seat is not sold to it");
        Assert.That((await _host.OutboxAsync<ReservationConfirmed>()).Count(m => m.PartitionKey == reservation.ToString()), Is.Zero);
    }

    /// <summary>A copy of the payment handled as the inbox handles it, up to its commit: its row locks stay held.</summary>
    private async Task<OpenConfirmation> UncommittedConfirmationAsync(PaymentCompleted payment)
    {
        var scope = _host.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ConcertDbContext>();
        var transaction = await db.Database.BeginTransactionAsync();
        await scope.ServiceProvider.GetRequiredService<ConfirmReservation>().ConfirmAsync(payment.ReservationId, payment.PaymentId, payment.Amount, CancellationToken.None);
        await db.SaveChangesAsync();
        return new OpenConfirmation(scope, transaction);
    }

    private async Task ConfirmAndCommitAsync(PaymentCompleted payment)
    {
        await using var confirmation = await UncommittedConfirmationAsync(payment);
        await confirmation.Transaction.CommitAsync();
    }

    private Task<(Guid Reservation, Guid Seat)> ArrangeAsync(ReservationStatus status, SeatStatus seatStatus, bool heldByAnother = false) =>
        ConcertSpecData.ReservationAsync(_host, _concertId, status, seatStatus, heldByAnother);

    private sealed record OpenConfirmation(AsyncServiceScope Scope, IDbContextTransaction Transaction) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            await Transaction.DisposeAsync();
            await Scope.DisposeAsync();
        }
    }
}
