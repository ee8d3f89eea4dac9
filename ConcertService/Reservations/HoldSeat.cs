using ConcertBooking.ConcertService.Concerts;
using ConcertBooking.ConcertService.Data;
using ConcertBooking.ConcertService.Users;
using ConcertBooking.Database;
using ConcertBooking.EntryPasses;
using ConcertBooking.Messaging.Outbox;
using ConcertBooking.UserReplica;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace ConcertBooking.ConcertService.Reservations;

/// <summary>
/// Holds a seat for its payment, for a known user with a valid entry pass: the seat's <c>Available → Held</c>, the
/// reservation and ReservationCreated commit in one transaction, and exactly one of concurrent attempts wins. Fair
/// access is the database's to enforce too: a pass holds one seat at a time (a filtered unique index on the
/// reservation's pass), and a user holds at most <c>Reservations:MaxSeatsPerUser</c> seats of a concert (a
/// conditional UPDATE of their count), however many passes and requests they throw at it.
/// </summary>
public sealed class HoldSeat(
    ConcertDbContext db, IOutbox outbox, IUserLookup users, EntryPassCodec passes, SeatAvailability availability,
    IOptions<ReservationOptions> options, TimeProvider time)
{
    /// <summary>
    /// The seat, whether the replica knows the user, and whether the user's seat count exists, in one round trip: in a
    /// flash sale most attempts end at "taken" right after this, and a round trip costs more CPU here (two system calls
    /// and a wake-up on each side) than the query behind it. Compiled once: EF Core otherwise prepares the query again
    /// on every execution.
    /// </summary>
    private static readonly CompiledPerModel<Func<ConcertDbContext, Guid, Guid, CancellationToken, Task<SeatCheck?>>> CheckSeat = new(() =>
        EF.CompileAsyncQuery(KnownUsers.WithKnownUserRule<Func<ConcertDbContext, Guid, Guid, CancellationToken, SeatCheck?>>(
            (db, seatId, userId, _) => db.Seats.AsNoTracking()
                .Where(s => s.Id == seatId)
                .Select(s => new SeatCheck(
                    s,
                    db.Users.Any(u => u.IsKnownAs(userId)),
                    db.UserSeatCounts.Any(c => c.UserId == userId && c.ConcertId == s.ConcertId)))
                .FirstOrDefault())));

    /// <summary>A concert's free seats, for <see cref="SeatAvailability"/> to suggest when a hold is refused as taken.</summary>
    private static readonly CompiledPerModel<Func<ConcertDbContext, Guid, IAsyncEnumerable<AvailableSeat>>> AvailableSeats = new(() =>
        EF.CompileAsyncQuery((ConcertDbContext db, Guid concertId) => db.Seats.AsNoTracking()
            .Where(s => s.ConcertId == concertId && s.Status == SeatStatus.Available)
            .Select(s => new AvailableSeat(s.Id, s.Label))));

    public async Task<HoldSeatResult> HoldAsync(Guid userId, Guid seatId, string? entryPass, CancellationToken cancellationToken)
    {
        // A request without a pass can hold nothing: refused before it costs a round trip, whatever seat it names.
        if (string.IsNullOrWhiteSpace(entryPass))
        {
            return new HoldSeatResult.NoEntryPass();
        }

        var found = await CheckSeat.For(db)(db, seatId, userId, cancellationToken);

        // An unknown user is answered before an unknown seat, as the replica's answer would be alone.
        var user = users.ReadsLocalReplica && found is not null
            ? found.UserKnown ? UserLookupResult.Known : UserLookupResult.Unknown
            : await users.FindAsync(userId, cancellationToken);
        switch (user)
        {
            case UserLookupResult.Unknown:
                return new HoldSeatResult.UnknownUser();
            case UserLookupResult.Unavailable:
                return new HoldSeatResult.UserLookupUnavailable();
        }

        if (found is null)
        {
            return new HoldSeatResult.UnknownSeat();
        }

        var seat = found.Seat;
        var verdict = passes.Verify(entryPass, userId, seat.ConcertId, out var pass);
        if (verdict != EntryPassVerdict.Valid)
        {
            return new HoldSeatResult.EntryPassRefused(verdict);
        }

        var settings = options.Value;
        var now = time.GetUtcNow();
        if (pass!.ExpiresAt - now > settings.HoldTime + ReservationOptions.PassLifetimeTolerance)
        {
            return new HoldSeatResult.EntryPassOutlivesHold(settings.HoldTime);
        }

        // A seat already taken is refused before any transaction: near the end of a sale most attempts are these, and
        // the conditional UPDATE below would refuse them anyway (it matches Available seats only).
        if (seat.Status != SeatStatus.Available)
        {
            return await TakenAsync(seat, cancellationToken);
        }

        var (reservation, created) = Reservation.Hold(seat, userId, pass.TokenId, now, settings.HoldTime);
        if (!found.SeatCounted)
        {
            await AddSeatCountAsync(userId, seat.ConcertId, cancellationToken);
        }

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
            await transaction.RollbackAsync(cancellationToken);
            return await TakenAsync(seat, cancellationToken);
        }

        db.Reservations.Add(reservation);
        outbox.Add(created, partitionKey: reservation.Id.ToString());
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException exception) when (exception.IsUniqueViolation())
        {
            // Another pending reservation made with this pass committed first (or is about to): one hold per pass.
            await transaction.RollbackAsync(cancellationToken);
            return new HoldSeatResult.PassAlreadyHolding();
        }

        // Last, after the seat and the reservation, in the order the sweeper takes its locks (reservation, seat, count).
        var counted = await db.UserSeatCounts
            .Where(c => c.UserId == userId && c.ConcertId == seat.ConcertId && c.Seats < settings.MaxSeatsPerUser)
            .ExecuteUpdateAsync(set => set.SetProperty(c => c.Seats, c => c.Seats + 1), cancellationToken);
        if (counted == 0)
        {
            await transaction.RollbackAsync(cancellationToken);
            return new HoldSeatResult.SeatLimitReached(settings.MaxSeatsPerUser);
        }

        await transaction.CommitAsync(cancellationToken);
        return new HoldSeatResult.Held(reservation);
    }

    private async Task<HoldSeatResult> TakenAsync(Seat seat, CancellationToken cancellationToken) =>
        new HoldSeatResult.SeatTaken(seat.Label, await availability.SuggestAsync(seat.ConcertId, seat.Id, ReadAvailableAsync, cancellationToken));

    private async Task<AvailableSeat[]> ReadAvailableAsync(Guid concertId, CancellationToken cancellationToken)
    {
        var seats = new List<AvailableSeat>();
        await foreach (var seat in AvailableSeats.For(db)(db, concertId).WithCancellation(cancellationToken))
        {
            seats.Add(seat);
        }

        return [.. seats];
    }

    /// <summary>The user's count for the concert at zero, on their first hold there (a concurrent first hold may create it instead).</summary>
    private async Task AddSeatCountAsync(Guid userId, Guid concertId, CancellationToken cancellationToken)
    {
        db.UserSeatCounts.Add(new UserSeatCount { UserId = userId, ConcertId = concertId });
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException exception) when (exception.IsUniqueViolation())
        {
        }
        finally
        {
            db.ChangeTracker.Clear();
        }
    }

    private sealed record SeatCheck(Seat Seat, bool UserKnown, bool SeatCounted);
}
