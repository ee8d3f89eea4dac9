using ConcertBooking.Contracts;
using ConcertBooking.PaymentService.Data;
using ConcertBooking.PaymentService.Payments;
using ConcertBooking.Messaging.Inbox;
using MassTransit;
using Microsoft.EntityFrameworkCore;

namespace ConcertBooking.PaymentService.Consumers;

/// <summary>
/// A new hold becomes payable until its expiry. Like every consumer here it runs in the inbox transaction and only
/// stages changes (or runs conditional UPDATEs in that transaction); the inbox commits them with its row.
/// </summary>
[UnboundedTransientRetry]
public sealed class TrackPayableReservation(PaymentDbContext db, TimeProvider time) : IConsumer<ReservationCreated>
{
    public async Task Consume(ConsumeContext<ReservationCreated> context)
    {
        var created = context.Message;
        // Already there: a redelivery, or ReservationExpired overtook it and left its tombstone, which must win.
        if (await db.PayableReservations.AnyAsync(r => r.ReservationId == created.ReservationId, context.CancellationToken))
        {
            return;
        }

        db.PayableReservations.Add(PayableReservation.Track(created, time.GetUtcNow()));
    }
}
