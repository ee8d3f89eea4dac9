using ConcertBooking.ConcertService.Concerts;
using ConcertBooking.ConcertService.Data;
using ConcertBooking.ConcertService.Users;
using ConcertBooking.Database;
using ConcertBooking.EntryPasses;
using ConcertBooking.Messaging;
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
    IDatabaseDialect dialect, IOptions<ReservationOptions> options, TimeProvider time)
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
                    db.UserSeatCounts.Any(c => c.UserId == userId && c.ConcertId == s.ConcertId),
                    db.Reservations.Where(r => r.Id == s.ReservationId && r.Status == ReservationStatus.Pending).Select(r => r.PassTokenId).FirstOrDefault()))
                .FirstOrDefault())));

    /// <summary>
    /// For a hold of any free seat: the concert, whether the replica knows the user, whether the user's seat count exists,
    /// the seat the pass already holds, and whether any seat is still free, in one round trip, so that once a sale is
    /// sold out a hold costs only this.
    /// </summary>
    private static readonly CompiledPerModel<Func<ConcertDbContext, Guid, Guid, Guid, CancellationToken, Task<ConcertCheck?>>> CheckConcert = new(() =>
        EF.CompileAsyncQuery(KnownUsers.WithKnownUserRule<Func<ConcertDbContext, Guid, Guid, Guid, CancellationToken, ConcertCheck?>>(
            (db, concertId, userId, passTokenId, _) => db.Concerts.AsNoTracking()
                .Where(c => c.Id == concertId)
                .Select(c => new ConcertCheck(
                    db.Users.Any(u => u.IsKnownAs(userId)),
                    db.UserSeatCounts.Any(n => n.UserId == userId && n.ConcertId == concertId),
                    db.Reservations.FirstOrDefault(r => r.PassTokenId == passTokenId && r.Status == ReservationStatus.Pending),
                    db.Seats.Any(s => s.ConcertId == concertId && s.Status == SeatStatus.Available)))
                .FirstOrDefault())));

    /// <summary>The pending reservation an entry pass holds, if any.</summary>
    private static readonly CompiledPerModel<Func<ConcertDbContext, Guid, CancellationToken, Task<Reservation?>>> HeldWithPass = new(() =>
        EF.CompileAsyncQuery((ConcertDbContext db, Guid passTokenId, CancellationToken _) => db.Reservations.AsNoTracking()
            .FirstOrDefault(r => r.PassTokenId == passTokenId && r.Status == ReservationStatus.Pending)));

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
        if (await RefuseUnknownUserAsync(userId, found?.UserKnown, cancellationToken) is { } unknownUser)
        {
            return unknownUser;
        }

        if (found is null)
        {
            return new HoldSeatResult.UnknownSeat();
        }

        var seat = found.Seat;
        var now = time.GetUtcNow();
        if (RefusePass(entryPass, userId, seat.ConcertId, now, out var pass) is { } refused)
        {
            return refused;
        }

        // A seat already taken is refused before any transaction: near the end of a sale most attempts are these, and
        // the conditional UPDATE below would refuse them anyway (it matches Available seats only). Unless this very
        // pass holds it: then the request is the same hold asked again, and its answer is that hold.
        if (seat.Status != SeatStatus.Available)
        {
            return found.HoldingPass == pass.TokenId
                ? await AlreadyHeldOrTakenAsync(seat, pass, cancellationToken)
                : await TakenAsync(seat, cancellationToken);
        }

        if (!found.SeatCounted)
        {
            await AddSeatCountAsync(userId, seat.ConcertId, cancellationToken);
        }

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        if (await HoldInTransactionAsync(seat, userId, pass, now, cancellationToken) is { } result)
        {
            return result;
        }

        // Taken between the check and the UPDATE, perhaps by the same request sent twice at once.
        await transaction.RollbackAsync(cancellationToken);
        return await AlreadyHeldOrTakenAsync(seat, pass, cancellationToken);
    }

    /// <summary>The hold this pass has of the seat, when it has one; else the seat is taken by another.</summary>
    private async Task<HoldSeatResult> AlreadyHeldOrTakenAsync(Seat seat, EntryPassClaims pass, CancellationToken cancellationToken) =>
        await HeldWithPass.For(db)(db, pass.TokenId, cancellationToken) is { } earlier && earlier.SeatId == seat.Id
            ? new HoldSeatResult.AlreadyHeld(earlier)
            : await TakenAsync(seat, cancellationToken);

    /// <summary>
    /// Holds whichever seat of the concert is free, first in label order: the database hands each of concurrent holds a
    /// different seat, skipping the rows the others have locked instead of queueing behind them, so in a sale a buyer
    /// is not refused a seat another buyer took while the request waited its turn. The same checks and limits as a
    /// named seat's hold apply. Asked again with the same pass, it answers with the seat the pass holds: a buyer whose
    /// request timed out after the hold committed asks again and gets it, instead of a seat held for nobody until it
    /// expires.
    /// </summary>
    public async Task<HoldSeatResult> HoldAnyAsync(Guid userId, Guid concertId, string? entryPass, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(entryPass))
        {
            return new HoldSeatResult.NoEntryPass();
        }

        // The pass first, before the round trip: it names the hold this request may have made already.
        var now = time.GetUtcNow();
        if (RefusePass(entryPass, userId, concertId, now, out var pass) is { } refused)
        {
            return refused;
        }

        var found = await CheckConcert.For(db)(db, concertId, userId, pass.TokenId, cancellationToken);
        if (await RefuseUnknownUserAsync(userId, found?.UserKnown, cancellationToken) is { } unknownUser)
        {
            return unknownUser;
        }

        if (found is null)
        {
            return new HoldSeatResult.UnknownConcert();
        }

        if (found.HeldWithPass is { } earlier)
        {
            return new HoldSeatResult.AlreadyHeld(earlier);
        }

        if (!found.AnySeatFree)
        {
            return new HoldSeatResult.NoSeatFree(SoldOut: true);
        }

        if (!found.SeatCounted)
        {
            await AddSeatCountAsync(userId, concertId, cancellationToken);
        }

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        // Not composed upon (no FirstOrDefault): the statement runs as the dialect wrote it, locking hint and all.
        var free = (await db.Seats.FromSqlRaw(FirstFreeSeatSql(db, dialect), concertId, nameof(SeatStatus.Available))
            .AsNoTracking().ToListAsync(cancellationToken)).FirstOrDefault();
        if (free is not null && await HoldInTransactionAsync(free, userId, pass, now, cancellationToken) is { } result)
        {
            // The same request sent twice at once: one holds, the other answers with its seat.
            return result is HoldSeatResult.PassAlreadyHolding && await HeldWithPass.For(db)(db, pass.TokenId, cancellationToken) is { } concurrent
                ? new HoldSeatResult.AlreadyHeld(concurrent)
                : result;
        }

        // Every seat still free is locked by a hold in flight, any of which may yet roll back: not sold out, not now.
        await transaction.RollbackAsync(cancellationToken);
        return new HoldSeatResult.NoSeatFree(SoldOut: false);
    }

    /// <summary>
    /// The refusal of a user this service does not know (from the replica's answer in the check's round trip,
    /// <paramref name="knownInReplica"/>, or from UserService in Http lookup mode); null for a known user.
    /// </summary>
    private async Task<HoldSeatResult?> RefuseUnknownUserAsync(Guid userId, bool? knownInReplica, CancellationToken cancellationToken)
    {
        var user = users.ReadsLocalReplica && knownInReplica is { } known
            ? known ? UserLookupResult.Known : UserLookupResult.Unknown
            : await users.FindAsync(userId, cancellationToken);
        return user switch
        {
            UserLookupResult.Unknown => new HoldSeatResult.UnknownUser(),
            UserLookupResult.Unavailable => new HoldSeatResult.UserLookupUnavailable(),
            _ => null,
        };
    }

    /// <summary>The refusal of a pass that does not verify for this user and concert, or outlives a hold; null for a good one.</summary>
    private HoldSeatResult? RefusePass(string entryPass, Guid userId, Guid concertId, DateTimeOffset now, out EntryPassClaims pass)
    {
        var verdict = passes.Verify(entryPass, userId, concertId, out var claims);
        pass = claims!;
        if (verdict != EntryPassVerdict.Valid)
        {
            return new HoldSeatResult.EntryPassRefused(verdict);
        }

        var holdTime = options.Value.HoldTime;
        return claims!.ExpiresAt - now > holdTime + ReservationOptions.PassLifetimeTolerance
            ? new HoldSeatResult.EntryPassOutlivesHold(holdTime)
            : null;
    }

    /// <summary>
    /// In the caller's transaction: the seat's <c>Available → Held</c>, the reservation with ReservationCreated, and the
    /// user's seat count, then the commit. Null when the seat was no longer Available (the caller rolls back).
    /// </summary>
    private async Task<HoldSeatResult?> HoldInTransactionAsync(
        Seat seat, Guid userId, EntryPassClaims pass, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var (reservation, created) = Reservation.Hold(seat, userId, pass, now, settings.HoldTime);
        var transaction = db.Database.CurrentTransaction!;
        // The database picks the one winner: the UPDATE takes the row lock, and a concurrent attempt re-reads the
        // row after the winner commits, sees it Held and matches nothing.
        var held = await db.Seats
            .Where(s => s.Id == seat.Id && s.Status == SeatStatus.Available)
            .ExecuteUpdateAsync(set => set
                .SetProperty(s => s.Status, SeatStatus.Held)
                .SetProperty(s => s.ReservationId, reservation.Id)
                .SetProperty(s => s.HeldUntil, reservation.ExpiresAt), cancellationToken);
        if (held == 0)
        {
            return null;
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
            db.ChangeTracker.Clear();
            return new HoldSeatResult.PassAlreadyHolding();
        }

        // Last, after the seat and the reservation, in the order the sweeper takes its locks (reservation, seat, count).
        var counted = await db.UserSeatCounts
            .Where(c => c.UserId == userId && c.ConcertId == seat.ConcertId && c.Seats < settings.MaxSeatsPerUser)
            .ExecuteUpdateAsync(set => set.SetProperty(c => c.Seats, c => c.Seats + 1), cancellationToken);
        if (counted == 0)
        {
            await transaction.RollbackAsync(cancellationToken);
            db.ChangeTracker.Clear();
            return new HoldSeatResult.SeatLimitReached(settings.MaxSeatsPerUser);
        }

        await transaction.CommitAsync(cancellationToken);
        return new HoldSeatResult.Held(reservation);
    }

    /// <summary>
    /// The concert's first free seat in label order that no other transaction has locked, locked for this one (the
    /// dialect's row lock that skips locked rows; IX_Seats_ConcertId_Status_Label serves it in order).
    /// </summary>
    internal static string FirstFreeSeatSql(ConcertDbContext db, IDatabaseDialect dialect)
    {
        var seats = MappedTable.Of<Seat>(db, "the seats");
        return dialect.SelectForUpdateSkipLocked(seats.Name,
            $"o.{seats.Column(nameof(Seat.ConcertId))} = {{0}} AND o.{seats.Column(nameof(Seat.Status))} = {{1}}",
            $"o.{seats.Column(nameof(Seat.Label))}", 1);
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

    /// <summary><paramref name="HoldingPass"/>: the pass of the pending reservation holding the seat, if one does.</summary>
    private sealed record SeatCheck(Seat Seat, bool UserKnown, bool SeatCounted, Guid? HoldingPass);

    private sealed record ConcertCheck(bool UserKnown, bool SeatCounted, Reservation? HeldWithPass, bool AnySeatFree);
}
