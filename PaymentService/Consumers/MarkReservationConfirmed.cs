using ConcertBooking.Contracts;
using ConcertBooking.PaymentService.Data;
using ConcertBooking.PaymentService.Payments;
using ConcertBooking.Messaging.Inbox;
using MassTransit;
using Microsoft.EntityFrameworkCore;

namespace ConcertBooking.PaymentService.Consumers;

/// <summary>ConcertService sold the seat: the reservation is Confirmed in this view too.</summary>
[UnboundedTransientRetry]
public sealed class MarkReservationConfirmed(PaymentDbContext db, TimeProvider time) : IConsumer<ReservationConfirmed>
{
    public async Task Consume(ConsumeContext<ReservationConfirmed> context) =>
        await db.PayableReservations
            .Where(r => r.ReservationId == context.Message.ReservationId && r.Status != PayableStatus.Confirmed)
            .ExecuteUpdateAsync(set => set.SetProperty(r => r.Status, PayableStatus.Confirmed).SetProperty(r => r.UpdatedAt, time.GetUtcNow()),
                context.CancellationToken);
}
