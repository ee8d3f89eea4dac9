using ConcertBooking.Contracts;
using ConcertBooking.Database;
using ConcertBooking.Messaging.Outbox;
using ConcertBooking.PaymentService.Data;
using ConcertBooking.PaymentService.Wallets;
using ConcertBooking.UserReplica;
using Microsoft.EntityFrameworkCore;

namespace ConcertBooking.PaymentService.Payments;

/// <summary>
/// Pays a reservation from the user's wallet, at most once per idempotency key and once per reservation: the
/// debit, the reservation's <c>Pending → Paid</c>, the payment row and PaymentCompleted commit in one transaction.
/// </summary>
public sealed class PayReservation(PaymentDbContext db, IOutbox outbox, DebitWallet debit, TimeProvider time)
{
    public async Task<PayReservationResult> PayAsync(string idempotencyKey, Guid reservationId, Guid userId, CancellationToken cancellationToken)
    {
        if (await ReplayAsync(idempotencyKey, reservationId, userId, cancellationToken) is { } replay)
        {
            return replay;
        }

        if (!await db.IsKnownAsync(userId, cancellationToken))
        {
            return new PayReservationResult.UnknownUser();
        }

        var reservation = await db.PayableReservations.AsNoTracking().FirstOrDefaultAsync(r => r.ReservationId == reservationId, cancellationToken);
        var now = time.GetUtcNow();
        if (reservation is null)
        {
            return new PayReservationResult.UnknownReservation();
        }

        if (reservation.UserId != userId)
        {
            return new PayReservationResult.NotYourReservation();
        }

        if (reservation.HasExpiredAt(now))
        {
            return new PayReservationResult.Expired(reservation.ExpiresAt);
        }

        if (reservation.Status != PayableStatus.Pending)
        {
            return await ReplayOrAlreadyPaidAsync(idempotencyKey, reservationId, userId, cancellationToken);
        }

        return await ChargeAsync(Payment.Complete(idempotencyKey, reservation, now), now, cancellationToken);
    }

    private async Task<PayReservationResult> ChargeAsync(
        (Payment Payment, PaymentCompleted Event) completed, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var payment = completed.Payment;
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        if (!await debit.DebitAsync(payment.UserId, payment.Amount, now, cancellationToken))
        {
            await transaction.RollbackAsync(cancellationToken);
            return await RefuseAsync(payment, now, cancellationToken);
        }

        if (!await ClaimAsync(payment.ReservationId, now, cancellationToken))
        {
            // Paid by a concurrent request (perhaps this very one, retried) or expired meanwhile.
            await transaction.RollbackAsync(cancellationToken);
            return await ReplayOrAlreadyPaidAsync(payment.IdempotencyKey, payment.ReservationId, payment.UserId, cancellationToken);
        }

        db.Payments.Add(payment);
        outbox.Add(completed.Event, partitionKey: payment.ReservationId.ToString());
        try
        {
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }
        catch (DbUpdateException exception) when (exception.IsUniqueViolation())
        {
            // The same key (or the same reservation under another key) committed first; the debit is undone.
            await transaction.RollbackAsync(cancellationToken);
            db.ChangeTracker.Clear();
            return await ReplayOrAlreadyPaidAsync(payment.IdempotencyKey, payment.ReservationId, payment.UserId, cancellationToken);
        }

        return new PayReservationResult.Paid(payment);
    }

    /// <summary>Pending and unexpired becomes Paid; a reservation paid or expired meanwhile matches nothing.</summary>
    private async Task<bool> ClaimAsync(Guid reservationId, DateTimeOffset now, CancellationToken cancellationToken) =>
        await db.PayableReservations
            .Where(r => r.ReservationId == reservationId && r.Status == PayableStatus.Pending && r.ExpiresAt > now)
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
        if (earlier is null)
        {
            return null;
        }

        return earlier.ReservationId == reservationId && earlier.UserId == userId
            ? new PayReservationResult.Replayed(earlier)
            : new PayReservationResult.KeyReused();
    }

    /// <summary>The reservation is paid: by this key (a concurrent retry that committed first, so replay it) or by another.</summary>
    private async Task<PayReservationResult> ReplayOrAlreadyPaidAsync(
        string idempotencyKey, Guid reservationId, Guid userId, CancellationToken cancellationToken) =>
        await ReplayAsync(idempotencyKey, reservationId, userId, cancellationToken) ?? new PayReservationResult.AlreadyPaid();
}
