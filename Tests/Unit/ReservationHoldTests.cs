using ConcertBooking.ConcertService.Concerts;
using ConcertBooking.ConcertService.Reservations;
using ConcertBooking.EntryPasses;

namespace ConcertBooking.Tests.Unit;

/// <summary>How long a hold lasts against the entry pass that made it.</summary>
[TestFixture]
[Category(TestCategories.Unit)]
public sealed class ReservationHoldTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 2, 10, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan HoldTime = TimeSpan.FromMinutes(5);

    [Test]
    public void A_hold_lasts_its_hold_time_when_the_pass_expires_sooner()
    {
        var (reservation, created) = Reservation.Hold(Seat(), Guid.NewGuid(), Pass(Now + HoldTime - TimeSpan.FromSeconds(40)), Now, HoldTime);

        Assert.That(reservation.ExpiresAt, Is.EqualTo(Now + HoldTime));
        Assert.That(created.ExpiresAt, Is.EqualTo(reservation.ExpiresAt));
    }

    [Test]
    public void A_hold_never_ends_before_the_pass_that_made_it()
    {
        // A pass within the tolerance for clocks that disagree: were the hold released first, the pass would still be
        // good for another seat.
        var pass = Pass(Now + HoldTime + ReservationOptions.PassLifetimeTolerance);

        var (reservation, created) = Reservation.Hold(Seat(), Guid.NewGuid(), pass, Now, HoldTime);

        Assert.That(reservation.ExpiresAt, Is.EqualTo(pass.ExpiresAt));
        Assert.That(created.ExpiresAt, Is.EqualTo(pass.ExpiresAt), "PaymentService takes payment until the same moment");
    }

    private static Seat Seat() => new() { Id = Guid.NewGuid(), ConcertId = Guid.NewGuid(), Label = "A1", Price = 20.00m, Status = SeatStatus.Available };

    private static EntryPassClaims Pass(DateTimeOffset expiresAt) => new(Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), expiresAt);
}
