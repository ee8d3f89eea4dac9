using ConcertBooking.Contracts;
using ConcertBooking.PaymentService.Payments;
using ConcertBooking.Messaging.Inbox;
using MassTransit;

namespace ConcertBooking.PaymentService.Consumers;

/// <summary>ConcertService could not sell the seat for a late payment: the money goes back to the wallet, once.</summary>
[UnboundedTransientRetry]
public sealed class RefundRejectedPayment(RefundPayment refund) : IConsumer<ReservationRejected>
{
    public Task Consume(ConsumeContext<ReservationRejected> context) =>
        refund.RefundAsync(context.Message.PaymentId, context.Message.ReservationId, context.Message.UserId, context.CancellationToken);
}
