using ConcertBooking.Contracts;
using ConcertBooking.Database;
using ConcertBooking.Messaging.Outbox;
using ConcertBooking.PaymentService.Data;
using ConcertBooking.PaymentService.Wallets;
using ConcertBooking.UserReplica;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.Extensions.Options;

namespace ConcertBooking.PaymentService.Payments;

/// <summary>
/// Pays a reservation from the user's wallet, at most once per idempotency key and once per reservation: the
/// payment row, the reservation's <c>Pending → Paid</c>, the debit and PaymentCompleted commit in one transaction.
/// A request repeated with the same key, before or while the first is in its transaction, gets the first's answer.
/// Payment closes <c>Payments:Grace</c> before the hold expires, so PaymentCompleted normally reaches ConcertService
/// while the hold still stands.
/// </summary>
public sealed class PayReservation(PaymentDbContext db, IOutbox outbox, DebitWallet debit, IOptions<PaymentOptions> options, TimeProvider time)
{
    /// <summary>
    /// A payment's three questions in one round trip: an earlier payment under the key, whether the replica knows the
    /// user, and the reservation (in a flash sale every buyer asks them, and a round trip costs more CPU here than the
    /// queries behind it). Asked of the reservation's row: for an unknown reservation (rare) it answers nothing, and the
    /// questions are asked one by one, so their answers keep their order.
    /// </summary>
    private static readonly CompiledPerModel<Func<PaymentDbContext, Guid, Guid, string, CancellationToken, Task<PaymentCheck?>>> CheckPayment = new(() =>
        EF.CompileAsyncQuery(KnownUsers.WithKnownUserRule<Func<PaymentDbContext, Guid, Guid, string, CancellationToken, PaymentCheck?>>(
            (db, reservationId, userId, idempotencyKey, _) => db.PayableReservations.AsNoTracking()
                .Where(r => r.ReservationId == reservationId)
                .Select(r => new PaymentCheck(
                    db.Payments.FirstOrDefault(p => p.IdempotencyKey == idempotencyKey),
                    db.Users.Any(u => u.IsKnownAs(userId)),
                    r))
                .FirstOrDefault())));

    public async Task<PayReservationResult> PayAsync(string idempotencyKey, Guid reservationId, Guid userId, CancellationToken cancellationToken)
    {
        var check = await CheckPayment.For(db)(db, reservationId, userId, idempotencyKey, cancellationToken);
        if (check is null)
        {
            return await ReplayAsync(idempotencyKey, reservationId, userId, cancellationToken)
                ?? (await db.IsKnownAsync(userId, cancellationToken)
                    ? new PayReservationResult.UnknownReservation()
                    : new PayReservationResult.UnknownUser());
        }

        if (check.Earlier is { } earlier)
        {
            return Replay(earlier, reservationId, userId);
        }

        if (!check.UserKnown)
        {
            return new PayReservationResult.UnknownUser();
        }

        var reservation = check.Reservation;
        var now = time.GetUtcNow();
        var closesAt = now + options.Value.Grace;
        if (reservation.UserId != userId)
        {
            return new PayReservationResult.NotYourReservation();
        }

        if (reservation.HasExpiredAt(closesAt))
        {
            return new PayReservationResult.Expired(reservation.ExpiresAt);
        }

        if (reservation.Status != PayableStatus.Pending)
        {
            return await ReplayOrAlreadyPaidAsync(idempotencyKey, reservationId, userId, cancellationToken);
        }

        return await ChargeAsync(Payment.Complete(idempotencyKey, reservation, now), now, closesAt, cancellationToken);
    }

    /// <summary>
    /// One transaction, in this order: the payment row (which claims the key and the reservation) with PaymentCompleted,
    /// the reservation's <c>Pending → Paid</c>, the debit. Claiming the key first is what makes a retry sent while
    /// this attempt is still in its transaction replay its answer: the retry's insert of the same key waits on the
    /// unique index until this one commits (and then fails, so it reads the committed payment) or rolls back (and then
    /// it makes its own attempt). It never reaches the wallet while this attempt's debit is undecided. The event goes
    /// in with the payment row, in the same round trip: any refusal after it rolls both back.
    /// </summary>
    private async Task<PayReservationResult> ChargeAsync(
        (Payment Payment, PaymentCompleted Event) completed, DateTimeOffset now, DateTimeOffset closesAt, CancellationToken cancellationToken)
    {
        var payment = completed.Payment;
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        db.Payments.Add(payment);
        outbox.Add(completed.Event, partitionKey: payment.ReservationId.ToString());
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException exception) when (exception.IsUniqueViolation())
        {
            // The same key (or the same reservation under another key) committed first.
            await RollbackAsync(transaction, cancellationToken);
            return await ReplayOrAlreadyPaidAsync(payment.IdempotencyKey, payment.ReservationId, payment.UserId, cancellationToken);
        }

        if (!await ClaimAsync(payment.ReservationId, now, closesAt, cancellationToken))
        {
            // Expired meanwhile, by ConcertService's word or the clock: no other payment can hold it, this one does.
            await RollbackAsync(transaction, cancellationToken);
            return await ExpiredAsync(payment.ReservationId, cancellationToken);
        }

        if (!await debit.DebitAsync(payment.UserId, payment.Amount, now, cancellationToken))
        {
            await RollbackAsync(transaction, cancellationToken);
            return await RefuseAsync(payment, now, cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        return new PayReservationResult.Paid(payment);
    }

    /// <summary>Undoes the attempt, and forgets the rows it staged, so what follows reads and writes afresh.</summary>
    private async Task RollbackAsync(IDbContextTransaction transaction, CancellationToken cancellationToken)
    {
        await transaction.RollbackAsync(cancellationToken);
        db.ChangeTracker.Clear();
    }

    private async Task<PayReservationResult> ExpiredAsync(Guid reservationId, CancellationToken cancellationToken) =>
        new PayReservationResult.Expired(await db.PayableReservations.AsNoTracking()
            .Where(r => r.ReservationId == reservationId).Select(r => r.ExpiresAt).FirstAsync(cancellationToken));

    /// <summary>
    /// Pending and not closing (more than the grace before its expiry) becomes Paid; a reservation paid or expired
    /// meanwhile matches nothing.
    /// </summary>
    private async Task<bool> ClaimAsync(Guid reservationId, DateTimeOffset now, DateTimeOffset closesAt, CancellationToken cancellationToken) =>
        await db.PayableReservations
            .Where(r => r.ReservationId == reservationId && r.Status == PayableStatus.Pending && r.ExpiresAt > closesAt)
            .ExecuteUpdateAsync(set => set.SetProperty(r => r.Status, PayableStatus.Paid).SetProperty(r => r.UpdatedAt, now), cancellationToken) == 1;

    /// <summary>
    /// PaymentFailed, committed on its own after the rollback. Nothing is stored under the key, so the client may
    /// charge the wallet and retry with the same key.
    /// </summary>
    private async Task<PayReservationResult> RefuseAsync(Payment payment, DateTimeOffset now, CancellationToken cancellationToken)
    {
        outbox.Add(payment.Failed("Insufficient wallet balance.", now), partitionKey: payment.ReservationId.ToString());
        await db.SaveChangesAsync(cancellationToken);
        return new PayReservationResult.InsufficientBalance(payment.Amount);
    }

    /// <summary>
    /// A key used before: the same payment when it was for the same reservation and user, else a reuse; null for
    /// a new key.
    /// </summary>
    private async Task<PayReservationResult?> ReplayAsync(string idempotencyKey, Guid reservationId, Guid userId, CancellationToken cancellationToken)
    {
        var earlier = await db.Payments.AsNoTracking().FirstOrDefaultAsync(p => p.IdempotencyKey == idempotencyKey, cancellationToken);
        return earlier is null ? null : Replay(earlier, reservationId, userId);
    }

    /// <summary>The same payment when the key was used for the same reservation and user, else a reuse of the key.</summary>
    private static PayReservationResult Replay(Payment earlier, Guid reservationId, Guid userId) =>
        earlier.ReservationId == reservationId && earlier.UserId == userId
            ? new PayReservationResult.Replayed(earlier)
            : new PayReservationResult.KeyReused();

    /// <summary>The reservation is paid: by this key (a concurrent retry that committed first, so replay it) or by another.</summary>
    private async Task<PayReservationResult> ReplayOrAlreadyPaidAsync(
        string idempotencyKey, Guid reservationId, Guid userId, CancellationToken cancellationToken) =>
        await ReplayAsync(idempotencyKey, reservationId, userId, cancellationToken) ?? new PayReservationResult.AlreadyPaid();

    private sealed record PaymentCheck(Payment? Earlier, bool UserKnown, PayableReservation Reservation);
}
