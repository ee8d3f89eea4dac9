using ConcertBooking.Contracts;
using ConcertBooking.PaymentService.Data;
using ConcertBooking.PaymentService.Payments;
using ConcertBooking.Messaging.Inbox;
using MassTransit;
using Microsoft.EntityFrameworkCore;

namespace ConcertBooking.PaymentService.Consumers;

/// <summary>
/// An expired hold can no longer be paid. Only a pending reservation expires, and the condition is in the UPDATE:
/// a payment that commits Paid while this runs is re-read by the database, not overwritten by a stale entity. One
/// paid just before its expiry stays Paid, and ConcertService decides (confirm, or reject and refund).
/// </summary>
[UnboundedTransientRetry]
public sealed class ExpirePayableReservation(PaymentDbContext db, TimeProvider time) : IConsumer<ReservationExpired>
{
    public async Task Consume(ConsumeContext<ReservationExpired> context)
    {
        var expired = context.Message;
        var now = time.GetUtcNow();
        var changed = await db.PayableReservations
            .Where(r => r.ReservationId == expired.ReservationId && r.Status == PayableStatus.Pending)
            .ExecuteUpdateAsync(set => set.SetProperty(r => r.Status, PayableStatus.Expired).SetProperty(r => r.UpdatedAt, now),
                context.CancellationToken);
        if (changed == 0 && !await db.PayableReservations.AnyAsync(r => r.ReservationId == expired.ReservationId, context.CancellationToken))
        {
            // A ReservationCreated racing this insert fails on the key and is retried, and then finds the tombstone.
            db.PayableReservations.Add(PayableReservation.ExpiredBeforeTracked(expired, now));
        }
    }
}
