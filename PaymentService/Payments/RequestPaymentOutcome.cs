using ConcertBooking.Messaging.Outbox;
using ConcertBooking.PaymentService.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace ConcertBooking.PaymentService.Payments;

/// <summary>
/// Asks ConcertService again for the outcome of a payment that has none (its PaymentCompleted, ReservationConfirmed
/// or ReservationRejected was dead-lettered or lost): PaymentCompleted once more, as a new message, so the inbox
/// does not drop it as a redelivery. ConcertService owns the seat, so it decides; its answer is idempotent in
/// effect: a reservation it closed for this payment before gets that outcome stated again, and PaymentService's
/// confirmation and refund are conditional, so a second answer changes nothing.
/// </summary>
public sealed class RequestPaymentOutcome(PaymentDbContext db, IOutbox outbox, IOptions<PaymentOptions> options, TimeProvider time)
{
    /// <summary>False when the reservation got its outcome meanwhile or another instance asked within the grace.</summary>
    public async Task<bool> RequestAsync(Guid reservationId, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var askedBefore = now - options.Value.Grace;
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        // Claims the request: still Paid, not touched within the grace (UpdatedAt marks the last request), so an
        // outcome that commits first, or another instance, wins and this matches nothing.
        var claimed = await db.PayableReservations
            .Where(r => r.ReservationId == reservationId && r.Status == PayableStatus.Paid && r.UpdatedAt <= askedBefore)
            .ExecuteUpdateAsync(set => set.SetProperty(r => r.UpdatedAt, now), cancellationToken);
        var payment = await db.Payments.AsNoTracking()
            .FirstOrDefaultAsync(p => p.ReservationId == reservationId && p.Status == PaymentStatus.Completed, cancellationToken);
        if (claimed == 0 || payment is null)
        {
            return false;
        }

        // The last request, or the payment's own PaymentCompleted, has not left yet (the broker refusing it, or parked
        // for an operator): a new one would only queue behind it, one more every grace period for as long as it waits.
        // The claim still commits, so this payable rests for a grace period like one asked about, and the reconciler's
        // batch (the oldest due first) moves on to the others rather than meeting the waiting ones at every run.
        var waiting = await outbox.IsWaitingAsync(reservationId.ToString(), cancellationToken);
        if (!waiting)
        {
            outbox.Add(payment.Completed(), partitionKey: reservationId.ToString());
            await db.SaveChangesAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        return !waiting;
    }
}
