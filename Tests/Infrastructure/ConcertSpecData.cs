using ConcertBooking.ConcertService.Concerts;
using ConcertBooking.ConcertService.Data;
using ConcertBooking.ConcertService.Reservations;
using ConcertBooking.Contracts;
using Microsoft.EntityFrameworkCore;

namespace ConcertBooking.Tests.Infrastructure;

/// <summary>Concerts, seats and reservations written straight into a ConcertService spec host's database.</summary>
public static class ConcertSpecData
{
    public const decimal Price = 20.00m;

    public static async Task<Guid> ConcertAsync(ConsumerSpecHost<ConcertDbContext, PostgresConcertDbContext> host)
    {
        var concertId = Guid.NewGuid();
        await host.WithDbAsync(db =>
        {
            db.Concerts.Add(new Concert { Id = concertId, Name = "Spec", Venue = "Lab", StartsAt = DateTimeOffset.UtcNow.AddDays(30) });
            return db.SaveChangesAsync();
        });
        return concertId;
    }

    /// <summary>
    /// A seat and a reservation of it in the given states; <paramref name="heldByAnother"/> gives the seat to another
    /// reservation (the resale of an expired hold). A pending hold expires at <paramref name="expiresAt"/> (in five
    /// minutes by default), any other a minute ago.
    /// </summary>
    public static async Task<(Guid Reservation, Guid Seat)> ReservationAsync(
        ConsumerSpecHost<ConcertDbContext, PostgresConcertDbContext> host, Guid concertId, ReservationStatus status, SeatStatus seatStatus,
        bool heldByAnother = false, DateTimeOffset? expiresAt = null, Guid? paymentId = null)
    {
        var reservationId = Guid.NewGuid();
        var seatId = Guid.NewGuid();
        var now = DateTimeOffset.UtcNow;
        await host.WithDbAsync(db =>
        {
            db.Seats.Add(new Seat
            {
                Id = seatId, ConcertId = concertId, Label = $"S{Random.Shared.Next(1_000_000)}", Price = Price, Status = seatStatus,
                ReservationId = seatStatus == SeatStatus.Available ? null : heldByAnother ? Guid.NewGuid() : reservationId,
            });
            db.Reservations.Add(new Reservation
            {
                Id = reservationId, ConcertId = concertId, SeatId = seatId, UserId = Guid.NewGuid(), Amount = Price, Status = status,
                CreatedAt = now.AddMinutes(-10),
                ExpiresAt = expiresAt ?? (status == ReservationStatus.Pending ? now.AddMinutes(5) : now.AddMinutes(-1)),
                PaymentId = paymentId, ClosedAt = status == ReservationStatus.Pending ? null : now.AddMinutes(-1),
            });
            return db.SaveChangesAsync();
        });
        return (reservationId, seatId);
    }

    public static PaymentCompleted Paid(Guid reservationId, Guid? paymentId = null) =>
        new(paymentId ?? Guid.NewGuid(), reservationId, Guid.NewGuid(), Price, DateTimeOffset.UtcNow);

    public static Task<(ReservationStatus, SeatStatus)> StateAsync(
        ConsumerSpecHost<ConcertDbContext, PostgresConcertDbContext> host, Guid reservationId, Guid seatId) =>
        host.WithDbAsync(async db => (
            await db.Reservations.Where(r => r.Id == reservationId).Select(r => r.Status).SingleAsync(),
            await db.Seats.Where(s => s.Id == seatId).Select(s => s.Status).SingleAsync()));
}
