using ConcertBooking.ConcertService.Reservations;
using ConcertBooking.Contracts;
using ConcertBooking.Messaging.Inbox;
using MassTransit;

namespace ConcertBooking.ConcertService.Consumers;

/// <summary>
/// A completed payment confirms its reservation (<see cref="ConfirmReservation"/> holds the rules). Runs inside the
/// inbox transaction, so what the action changes commits with the inbox row, or not at all.
/// </summary>
[UnboundedTransientRetry]
public sealed partial class ConfirmPaidReservation(ConfirmReservation confirm, ILogger<ConfirmPaidReservation> logger)
    : IConsumer<PaymentCompleted>
{
    public async Task Consume(ConsumeContext<PaymentCompleted> context)
    {
        var payment = context.Message;
        switch (await confirm.ConfirmAsync(payment.ReservationId, payment.PaymentId, payment.Amount, context.CancellationToken))
        {
            case ConfirmReservationResult.UnknownReservation:
                // Only reservations made here can be paid; anything else is a bug to look at in the error queue.
                throw new InvalidOperationException($"PaymentCompleted {payment.PaymentId} is for unknown reservation {payment.ReservationId}.");
            case ConfirmReservationResult.AlreadyClosed(var status):
                LogAlreadyClosed(logger, payment.ReservationId, status);
                break;
            case ConfirmReservationResult.ConfirmedLate:
                LogLateConfirmation(logger, payment.ReservationId);
                break;
            case ConfirmReservationResult.Rejected:
                LogRejected(logger, payment.ReservationId, payment.PaymentId);
                break;
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Reservation {ReservationId} is already {Status}; its outcome is published again and nothing else changes")]
    private static partial void LogAlreadyClosed(ILogger logger, Guid reservationId, ReservationStatus status);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Reservation {ReservationId} was paid after its hold expired; the seat was still free, so it is confirmed")]
    private static partial void LogLateConfirmation(ILogger logger, Guid reservationId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Reservation {ReservationId} was paid ({PaymentId}) after its seat was taken; rejected, refund requested")]
    private static partial void LogRejected(ILogger logger, Guid reservationId, Guid paymentId);
}
