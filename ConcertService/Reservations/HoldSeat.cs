using ConcertBooking.ConcertService.Concerts;
using ConcertBooking.ConcertService.Data;
using ConcertBooking.ConcertService.Users;
using ConcertBooking.EntryPasses;
using ConcertBooking.Messaging.Outbox;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace ConcertBooking.ConcertService.Reservations;

/// <summary>
/// Holds a seat for its payment, for a known user with a valid entry pass: the seat's <c>Available → Held</c>, the
/// reservation and ReservationCreated commit in one transaction, and exactly one of concurrent attempts wins.
/// </summary>
public sealed class HoldSeat(
    ConcertDbContext db, IOutbox outbox, IUserLookup users, EntryPassCodec passes, IOptions<ReservationOptions> options, TimeProvider time)
{
    public async Task<HoldSeatResult> HoldAsync(Guid userId, Guid seatId, string? entryPass, CancellationToken cancellationToken)
    {
        switch (await users.FindAsync(userId, cancellationToken))
        {
            case UserLookupResult.Unknown:
                return new HoldSeatResult.UnknownUser();
            case UserLookupResult.Unavailable:
                return new HoldSeatResult.UserLookupUnavailable();
        }

        var seat = await db.Seats.AsNoTracking().FirstOrDefaultAsync(s => s.Id == seatId, cancellationToken);
        if (seat is null)
        {
            return new HoldSeatResult.UnknownSeat();
        }

        if (string.IsNullOrWhiteSpace(entryPass))
        {
            return new HoldSeatResult.NoEntryPass();
        }

        var verdict = passes.Verify(entryPass, userId, seat.ConcertId, out _);
        if (verdict != EntryPassVerdict.Valid)
        {
            return new HoldSeatResult.EntryPassRefused(verdict);
        }

        var (reservation, created) = Reservation.Hold(seat, userId, time.GetUtcNow(), options.Value.HoldTime);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        // The database picks the one winner: the UPDATE takes the row lock, and a concurrent attempt re-reads the
        // row after the winner commits, sees it Held and matches nothing.
        var held = await db.Seats
            .Where(s => s.Id == seatId && s.Status == SeatStatus.Available)
            .ExecuteUpdateAsync(set => set
                .SetProperty(s => s.Status, SeatStatus.Held)
                .SetProperty(s => s.ReservationId, reservation.Id)
                .SetProperty(s => s.HeldUntil, reservation.ExpiresAt), cancellationToken);
        if (held == 0)
        {
            return new HoldSeatResult.SeatTaken(seat.Label);
        }

        db.Reservations.Add(reservation);
        outbox.Add(created, partitionKey: reservation.Id.ToString());
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return new HoldSeatResult.Held(reservation);
    }
}
