using ConcertBooking.Contracts;
using ConcertBooking.PaymentService;
using ConcertBooking.PaymentService.Data;
using ConcertBooking.PaymentService.Payments;
using ConcertBooking.PaymentService.Wallets;
using Microsoft.EntityFrameworkCore;
using ConcertBooking.Tests.Infrastructure;

namespace ConcertBooking.Tests.Specs;

/// <summary>PaymentService's reservation-view and refund consumers on the test harness with a real PostgreSQL database.</summary>
[TestFixture]
[Category(TestCategories.Specs)]
public sealed class PaymentConsumerSpecs
{
    private ConsumerSpecHost<PaymentDbContext, PostgresPaymentDbContext> _host = null!;

    [OneTimeSetUp]
    public async Task Start() =>
        _host = await ConsumerSpecHost<PaymentDbContext, PostgresPaymentDbContext>.StartAsync("payspec", bus => bus.AddPaymentConsumers());

    [OneTimeTearDown]
    public async Task Stop() => await _host.DisposeAsync();

    [Test]
    public async Task A_created_reservation_becomes_payable_and_its_expiry_closes_it()
    {
        var created = Created();

        await _host.DeliverAsync(created);
        Assert.That(await StatusAsync(created.ReservationId), Is.EqualTo(PayableStatus.Pending));
        await _host.DeliverAsync(new ReservationExpired(created.ReservationId, created.ConcertId, created.SeatId, created.UserId, DateTimeOffset.UtcNow));

        Assert.That(await StatusAsync(created.ReservationId), Is.EqualTo(PayableStatus.Expired));
    }

    [Test]
    public async Task An_expiry_that_overtakes_its_creation_keeps_the_reservation_unpayable()
    {
        var created = Created();

        await _host.DeliverAsync(new ReservationExpired(created.ReservationId, created.ConcertId, created.SeatId, created.UserId, DateTimeOffset.UtcNow));
        await _host.DeliverAsync(created);

        Assert.That(await StatusAsync(created.ReservationId), Is.EqualTo(PayableStatus.Expired));
    }

    [Test]
    public async Task A_rejected_payment_is_refunded_to_the_wallet_exactly_once()
    {
        var created = Created();
        var paymentId = Guid.NewGuid();
        await _host.DeliverAsync(created);
        await _host.WithDbAsync(db =>
        {
            db.Wallets.Add(new Wallet { UserId = created.UserId, Balance = 5.00m, UpdatedAt = DateTimeOffset.UtcNow });
            db.Payments.Add(new Payment
            {
                Id = paymentId, IdempotencyKey = Guid.NewGuid().ToString(), ReservationId = created.ReservationId, UserId = created.UserId,
                Amount = created.Amount, Status = PaymentStatus.Completed, CreatedAt = DateTimeOffset.UtcNow,
            });
            return db.SaveChangesAsync();
        });
        var rejected = new ReservationRejected(created.ReservationId, created.UserId, paymentId, created.Amount, "seat taken", DateTimeOffset.UtcNow);

        // Two deliveries with different MessageIds (a replay after the inbox window): the status guard still refunds once.
        await _host.DeliverAsync(rejected);
        await _host.DeliverAsync(rejected);

        Assert.That(await _host.WithDbAsync(db => db.Wallets.Where(w => w.UserId == created.UserId).Select(w => w.Balance).SingleAsync()),
            Is.EqualTo(5.00m + created.Amount));
        Assert.That(await _host.WithDbAsync(db => db.Payments.Where(p => p.Id == paymentId).Select(p => p.Status).SingleAsync()),
            Is.EqualTo(PaymentStatus.Refunded));
        Assert.That(await StatusAsync(created.ReservationId), Is.EqualTo(PayableStatus.Refunded));
    }

    private static ReservationCreated Created() =>
        new(Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), 42.50m, DateTimeOffset.UtcNow, DateTimeOffset.UtcNow.AddMinutes(5));

    private Task<PayableStatus> StatusAsync(Guid reservationId) =>
        _host.WithDbAsync(db => db.PayableReservations.Where(r => r.ReservationId == reservationId).Select(r => r.Status).SingleAsync());
}
