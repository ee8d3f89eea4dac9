using ConcertBooking.Contracts;
using ConcertBooking.Messaging.Outbox;
using ConcertBooking.PaymentService;
using ConcertBooking.PaymentService.Consumers;
using ConcertBooking.PaymentService.Data;
using ConcertBooking.PaymentService.Payments;
using ConcertBooking.PaymentService.Wallets;
using ConcertBooking.Tests.Infrastructure;
using ConcertBooking.UserReplica;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;

namespace ConcertBooking.Tests.Specs;

/// <summary>PaymentService's reservation-view and refund consumers on the test harness with a real PostgreSQL database.</summary>
[TestFixture]
[Category(TestCategories.Specs)]
public sealed class PaymentConsumerSpecs
{
    private readonly ConsumerGate _expiryGate = new(nameof(ExpirePayableReservation));
    private ConsumerSpecHost<PaymentDbContext, PostgresPaymentDbContext> _host = null!;

    [OneTimeSetUp]
    public async Task Start() =>
        _host = await ConsumerSpecHost<PaymentDbContext, PostgresPaymentDbContext>.StartAsync("payspec", bus =>
        {
            bus.AddSingleton<IInterceptor>(_expiryGate);
            bus.AddScoped<PayReservation>();
            bus.AddScoped<RequestPaymentOutcome>();
            bus.AddPaymentConsumers();
        });

    [OneTimeTearDown]
    public async Task Stop() => await _host.DisposeAsync();

    [Test]
    public async Task A_created_reservation_becomes_payable_and_its_expiry_closes_it()
    {
        var created = Created();

        await _host.DeliverAsync(created);
        Assert.That(await StatusAsync(created.ReservationId), Is.EqualTo(PayableStatus.Pending));
        await _host.DeliverAsync(Expired(created));

        Assert.That(await StatusAsync(created.ReservationId), Is.EqualTo(PayableStatus.Expired));
    }

    [Test]
    public async Task An_expiry_that_overtakes_its_creation_keeps_the_reservation_unpayable()
    {
        var created = Created();

        await _host.DeliverAsync(Expired(created));
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

    [Test]
    public async Task An_expiry_that_arrives_after_the_payment_leaves_the_reservation_paid()
    {
        var created = Created();
        await _host.DeliverAsync(created);
        var payment = await PayAsync(created, balance: 100.00m);
        Assert.That(payment, Is.InstanceOf<PayReservationResult.Paid>());

        await _host.DeliverAsync(Expired(created));

        Assert.That(await StatusAsync(created.ReservationId), Is.EqualTo(PayableStatus.Paid), "ConcertService decides a late payment, not this view");
    }

    [Test]
    public async Task An_expiry_racing_a_payment_never_leaves_a_paid_reservation_expired()
    {
        var created = Created();
        await _host.DeliverAsync(created);
        var expiryId = Guid.NewGuid();

        // The expiry runs its first statement and is held there, its transaction open, while the payment runs.
        _expiryGate.Arm();
        await _host.Harness.Bus.Publish(Expired(created), (PublishContext<ReservationExpired> context) => context.MessageId = expiryId);
        await _expiryGate.Reached.WaitAsync(Eventually.DefaultTimeout);
        var payment = PayAsync(created, balance: 100.00m);
        await Eventually.Until(async () => payment.IsCompleted || await _host.AnyWaitingForALockAsync(),
            "the payment committed, or waits for the expiry's row lock");
        _expiryGate.Open();
        var result = await payment;
        await Eventually.Until(async () => await MessagingProbes.InboxEntriesAsync<PaymentDbContext>(_host.Services, expiryId) == 1,
            "the expiry committed");

        // Either order is fine, as long as the view, the payment and the wallet tell the same story.
        var status = await StatusAsync(created.ReservationId);
        var paid = await _host.WithDbAsync(db => db.Payments.CountAsync(p => p.ReservationId == created.ReservationId));
        var balance = await _host.WithDbAsync(db => db.Wallets.Where(w => w.UserId == created.UserId).Select(w => w.Balance).SingleAsync());
        if (result is PayReservationResult.Paid)
        {
            Assert.That((status, paid, balance), Is.EqualTo((PayableStatus.Paid, 1, 100.00m - created.Amount)), "paid, and still Paid after the expiry");
        }
        else
        {
            Assert.That(result, Is.InstanceOf<PayReservationResult.Expired>());
            Assert.That((status, paid, balance), Is.EqualTo((PayableStatus.Expired, 0, 100.00m)), "expired first, so nothing was charged");
        }
    }

    [Test]
    public async Task A_reservation_within_the_grace_of_its_expiry_is_no_longer_paid_and_nothing_is_charged()
    {
        var grace = new PaymentOptions().Grace;
        var created = Created() with { ExpiresAt = DateTimeOffset.UtcNow + grace / 2 };
        await _host.DeliverAsync(created);

        var payment = await PayAsync(created, balance: 100.00m);

        Assert.That(payment, Is.InstanceOf<PayReservationResult.Expired>());
        Assert.That(await StatusAsync(created.ReservationId), Is.EqualTo(PayableStatus.Pending), "ConcertService expires it");
        Assert.That(await _host.WithDbAsync(db => db.Wallets.Where(w => w.UserId == created.UserId).Select(w => w.Balance).SingleAsync()),
            Is.EqualTo(100.00m));
    }

    [Test]
    public async Task A_payment_is_asked_about_again_only_once_its_last_request_has_left_the_outbox()
    {
        var created = Created();
        await _host.DeliverAsync(created);
        Assert.That(await PayAsync(created, balance: 100.00m), Is.InstanceOf<PayReservationResult.Paid>());
        // No outcome long after the hold expired, and PaymentCompleted never left: the broker refuses it, or it is parked.
        var longAgo = DateTimeOffset.UtcNow.AddHours(-1);
        await _host.WithDbAsync(db => db.PayableReservations.Where(r => r.ReservationId == created.ReservationId)
            .ExecuteUpdateAsync(set => set.SetProperty(r => r.ExpiresAt, longAgo).SetProperty(r => r.UpdatedAt, longAgo)));

        Assert.That(await RequestOutcomeAsync(created.ReservationId), Is.False, "a copy would only queue behind the waiting one");
        Assert.That(await PaymentsCompletedInOutboxAsync(created.ReservationId), Is.EqualTo(1));
        Assert.That(await _host.WithDbAsync(db => db.PayableReservations.Where(r => r.ReservationId == created.ReservationId)
            .Select(r => r.UpdatedAt).SingleAsync()), Is.GreaterThan(longAgo.AddMinutes(30)),
            "it rests a grace period as if asked, so the reconciler's oldest-first batch moves on to the others");

        await _host.WithDbAsync(db => db.Set<OutboxMessage>().Where(m => m.PartitionKey == created.ReservationId.ToString())
            .ExecuteUpdateAsync(set => set.SetProperty(m => m.DispatchedAt, DateTimeOffset.UtcNow)));
        await _host.WithDbAsync(db => db.PayableReservations.Where(r => r.ReservationId == created.ReservationId)
            .ExecuteUpdateAsync(set => set.SetProperty(r => r.UpdatedAt, longAgo)));

        Assert.That(await RequestOutcomeAsync(created.ReservationId), Is.True, "published, and still no outcome a grace period on: asked again");
        Assert.That(await PaymentsCompletedInOutboxAsync(created.ReservationId), Is.EqualTo(2));
    }

    private Task<bool> RequestOutcomeAsync(Guid reservationId) =>
        _host.WithScopeAsync(services => services.GetRequiredService<RequestPaymentOutcome>().RequestAsync(reservationId, CancellationToken.None));

    private async Task<int> PaymentsCompletedInOutboxAsync(Guid reservationId) =>
        (await _host.OutboxAsync<PaymentCompleted>()).Count(m => m.PartitionKey == reservationId.ToString());

    /// <summary>A known user with <paramref name="balance"/> in the wallet pays the reservation through the action the endpoint calls.</summary>
    private async Task<PayReservationResult> PayAsync(ReservationCreated created, decimal balance)
    {
        await _host.WithDbAsync(db =>
        {
            db.Users.Add(new ReplicatedUser
            {
                Id = created.UserId, Name = "Payer", Email = $"{created.UserId:N}@example.com", Version = 1,
                ChangedAt = DateTimeOffset.UtcNow, ReplicatedAt = DateTimeOffset.UtcNow,
            });
            db.Wallets.Add(new Wallet { UserId = created.UserId, Balance = balance, UpdatedAt = DateTimeOffset.UtcNow });
            return db.SaveChangesAsync();
        });
        return await _host.WithScopeAsync(services => services.GetRequiredService<PayReservation>()
            .PayAsync(Guid.NewGuid().ToString(), created.ReservationId, created.UserId, CancellationToken.None));
    }

    private static ReservationExpired Expired(ReservationCreated created) =>
        new(created.ReservationId, created.ConcertId, created.SeatId, created.UserId, DateTimeOffset.UtcNow);

    private static ReservationCreated Created() =>
        new(Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), 42.50m, DateTimeOffset.UtcNow, DateTimeOffset.UtcNow.AddMinutes(5));

    private Task<PayableStatus> StatusAsync(Guid reservationId) =>
        _host.WithDbAsync(db => db.PayableReservations.Where(r => r.ReservationId == reservationId).Select(r => r.Status).SingleAsync());
}
