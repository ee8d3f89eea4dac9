using ConcertBooking.ConcertService.Concerts;
using ConcertBooking.ConcertService.Data;
using ConcertBooking.Messaging.Outbox;
using Microsoft.EntityFrameworkCore;

namespace ConcertBooking.ConcertService.Reservations;

/// <summary>
/// Releases a hold past its expiry: the reservation becomes Expired, the seat Available, the user's seat count one
/// less, and ReservationExpired is staged in the outbox, all in one transaction. Safe with several instances and against a concurrent confirmation:
/// each step is a conditional UPDATE, and the one that finds nothing to change rolls the whole expiry back.
/// </summary>
public sealed class ExpireHold(ConcertDbContext db, IOutbox outbox)
{
    public async Task<ExpireHoldResult> ExpireAsync(Guid reservationId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var changed = await db.Reservations
            .Where(r => r.Id == reservationId && r.Status == ReservationStatus.Pending)
            .ExecuteUpdateAsync(set => set.SetProperty(r => r.Status, ReservationStatus.Expired).SetProperty(r => r.ClosedAt, now), cancellationToken);
        if (changed == 0)
        {
            return ExpireHoldResult.NoLongerPending;
        }

        await db.Seats
            .Where(s => s.ReservationId == reservationId && s.Status == SeatStatus.Held)
            .ExecuteUpdateAsync(set => set
                .SetProperty(s => s.Status, SeatStatus.Available)
                .SetProperty(s => s.ReservationId, (Guid?)null)
                .SetProperty(s => s.HeldUntil, (DateTimeOffset?)null), cancellationToken);
        var reservation = await db.Reservations.AsNoTracking().FirstAsync(r => r.Id == reservationId, cancellationToken);
        // The seat no longer counts against the user's cap (a hold from before the count existed finds it at zero).
        await db.UserSeatCounts
            .Where(c => c.UserId == reservation.UserId && c.ConcertId == reservation.ConcertId && c.Seats > 0)
            .ExecuteUpdateAsync(set => set.SetProperty(c => c.Seats, c => c.Seats - 1), cancellationToken);
        outbox.Add(reservation.Expired(now), partitionKey: reservation.Id.ToString());
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return ExpireHoldResult.Expired;
    }
}
