using ConcertBooking.ConcertService;
using ConcertBooking.ConcertService.Concerts;
using ConcertBooking.ConcertService.Consumers;
using ConcertBooking.ConcertService.Data;
using ConcertBooking.ConcertService.Reservations;
using ConcertBooking.Contracts;
using ConcertBooking.Messaging.Inbox;
using ConcertBooking.Tests.Infrastructure;
using ConcertBooking.UserReplica;
using ConcertBooking.UserReplica.Consumers;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;

namespace ConcertBooking.Tests.Specs;

/// <summary>
/// The retry policy around every consumer, on the test harness with a real PostgreSQL database and a fault injected
/// into one consumer's transaction. Booking consumers (money or seats at stake) outlast any transient failure; a
/// user-replica consumer keeps its bounded budget; a permanent failure is dead-lettered after a few retries either way.
/// </summary>
[TestFixture]
[Category(TestCategories.Specs)]
public sealed class ConsumerRetrySpecs
{
    /// <summary>Small limits, short back-off: what a database failover does to them, in a second.</summary>
    private static readonly ConsumerOptions Retries = new()
    {
        RetryLimit = 2, TransientRetryLimit = 2, TransientRetryMaxDelay = TimeSpan.FromMilliseconds(50),
    };

    private readonly ConsumerFault _confirm = new(nameof(ConfirmPaidReservation));
    private readonly ConsumerFault _project = new(nameof(ProjectUserCreated));
    private ConsumerSpecHost<ConcertDbContext, PostgresConcertDbContext> _host = null!;
    private Guid _concertId;

    [OneTimeSetUp]
    public async Task Start()
    {
        _host = await ConsumerSpecHost<ConcertDbContext, PostgresConcertDbContext>.StartAsync("retry", bus =>
        {
            bus.AddSingleton<IInterceptor>(_confirm);
            bus.AddSingleton<IInterceptor>(_project);
            bus.AddScoped<IUserReplicaStore>(sp => sp.GetRequiredService<ConcertDbContext>());
            bus.AddScoped<UserProjection>();
            bus.AddSingleton<ReplicationMetrics>();
            bus.AddUserReplicaConsumers();
            bus.AddConcertConsumers();
        }, Retries);
        _concertId = await ConcertSpecData.ConcertAsync(_host);
    }

    [OneTimeTearDown]
    public async Task Stop() => await _host.DisposeAsync();

    [Test]
    public async Task A_booking_consumer_keeps_retrying_a_transient_failure_past_the_transient_limit()
    {
        var (reservation, seat) = await ConcertSpecData.ReservationAsync(_host, _concertId, ReservationStatus.Pending, SeatStatus.Held);
        var failures = 3 * Retries.TransientRetryLimit;
        _confirm.FailNext(failures, ConsumerFault.Transient);
        var messageId = Guid.NewGuid();

        await _host.DeliverAsync(ConcertSpecData.Paid(reservation), messageId);

        Assert.That(_confirm.Attempts[messageId], Is.EqualTo(failures + 1), "every transient failure retried, then the attempt that worked");
        Assert.That(await ConcertSpecData.StateAsync(_host, reservation, seat), Is.EqualTo((ReservationStatus.Confirmed, SeatStatus.Sold)));
    }

    [Test]
    public async Task A_booking_consumer_dead_letters_a_permanent_failure_after_its_few_retries()
    {
        var (reservation, seat) = await ConcertSpecData.ReservationAsync(_host, _concertId, ReservationStatus.Pending, SeatStatus.Held);
        _confirm.FailNext(int.MaxValue, ConsumerFault.Permanent);
        try
        {
            var messageId = Guid.NewGuid();

            var exception = await _host.DeliverFailingAsync(ConcertSpecData.Paid(reservation), messageId);

            Assert.That(exception, Is.InstanceOf<InvalidOperationException>());
            Assert.That(_confirm.Attempts[messageId], Is.EqualTo(Retries.RetryLimit + 1), "the first attempt and RetryLimit retries");
            Assert.That(await ConcertSpecData.StateAsync(_host, reservation, seat), Is.EqualTo((ReservationStatus.Pending, SeatStatus.Held)));
        }
        finally
        {
            _confirm.FailNext(0, ConsumerFault.Permanent);
        }
    }

    [Test]
    public async Task A_user_replica_consumer_still_dead_letters_a_transient_failure_after_its_limit()
    {
        _project.FailNext(3 * Retries.TransientRetryLimit, ConsumerFault.Transient);
        try
        {
            var created = new UserCreated(Guid.CreateVersion7(), "Ada", $"ada-{Guid.NewGuid():N}@example.com", 1, DateTimeOffset.UtcNow);

            var messageId = Guid.NewGuid();

            var exception = await _host.DeliverFailingAsync(created, messageId);

            Assert.That(exception, Is.InstanceOf<TimeoutException>());
            Assert.That(_project.Attempts[messageId], Is.EqualTo(Retries.TransientRetryLimit + 1), "a poison message on a replica is not retried forever");
        }
        finally
        {
            _project.FailNext(0, ConsumerFault.Transient);
        }
    }
}
