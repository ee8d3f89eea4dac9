using ConcertBooking.Contracts;
using ConcertBooking.PaymentService.Data;
using ConcertBooking.PaymentService.Payments;
using ConcertBooking.Messaging.Inbox;
using MassTransit;
using Microsoft.EntityFrameworkCore;

namespace ConcertBooking.PaymentService.Consumers;

/// <summary>An expired hold can no longer be paid.</summary>
[UnboundedTransientRetry]
public sealed class ExpirePayableReservation(PaymentDbContext db, TimeProvider time) : IConsumer<ReservationExpired>
{
    public async Task Consume(ConsumeContext<ReservationExpired> context)
    {
        var expired = context.Message;
        var reservation = await db.PayableReservations.FirstOrDefaultAsync(r => r.ReservationId == expired.ReservationId, context.CancellationToken);
        if (reservation is null)
        {
            db.PayableReservations.Add(PayableReservation.ExpiredBeforeTracked(expired, time.GetUtcNow()));
            return;
        }

        reservation.Expire(time.GetUtcNow());
    }
}
