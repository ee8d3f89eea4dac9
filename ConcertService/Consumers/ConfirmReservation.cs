using ConcertBooking.ConcertService.Concerts;
using ConcertBooking.ConcertService.Data;
using ConcertBooking.ConcertService.Reservations;
using ConcertBooking.Contracts;
using ConcertBooking.Messaging.Outbox;
using MassTransit;
using Microsoft.EntityFrameworkCore;

namespace ConcertBooking.ConcertService.Consumers;

/// <summary>
/// A completed payment confirms its reservation and sells the seat. Runs inside the inbox transaction: the
/// conditional UPDATEs and the staged events commit together with the inbox row, or not at all.
/// <para>
/// A payment for a reservation that expired meanwhile (PaymentService checks the expiry too, so only a payment
/// racing the sweeper gets here): confirmed anyway when the seat is still available, because the user paid and
/// the seat is free; otherwise the reservation is Rejected and <see cref="ReservationRejected"/> asks
/// PaymentService to refund. Either way the money and the seat end up consistent.
/// </para>
/// </summary>
public sealed partial class ConfirmReservation(ConcertDbContext db, IOutbox outbox, TimeProvider time, ILogger<ConfirmReservation> logger)
    : IConsumer<PaymentCompleted>
{
    public async Task Consume(ConsumeContext<PaymentCompleted> context)
    {
        var payment = context.Message;
        var cancellationToken = context.CancellationToken;
        var reservation = await db.Reservations.AsNoTracking().FirstOrDefaultAsync(r => r.Id == payment.ReservationId, cancellationToken)
            // Only reservations made here can be paid; anything else is a bug to look at in the error queue.
            ?? throw new InvalidOperationException($"PaymentCompleted {payment.PaymentId} is for unknown reservation {payment.ReservationId}.");
        var now = time.GetUtcNow();

        if (await CloseAsync(reservation.Id, ReservationStatus.Pending, ReservationStatus.Confirmed, payment.PaymentId, now, cancellationToken))
        {
            await db.Seats.Where(s => s.ReservationId == reservation.Id && s.Status == SeatStatus.Held)
                .ExecuteUpdateAsync(set => set.SetProperty(s => s.Status, SeatStatus.Sold).SetProperty(s => s.HeldUntil, (DateTimeOffset?)null), cancellationToken);
            Confirmed(reservation, payment, now);
            return;
        }

        var current = await db.Reservations.AsNoTracking().Where(r => r.Id == reservation.Id).Select(r => r.Status).FirstAsync(cancellationToken);
        if (current != ReservationStatus.Expired)
        {
            LogAlreadyClosed(logger, reservation.Id, current);
            return;
        }

        var seatTaken = await db.Seats.Where(s => s.Id == reservation.SeatId && s.Status == SeatStatus.Available)
            .ExecuteUpdateAsync(set => set
                .SetProperty(s => s.Status, SeatStatus.Sold)
                .SetProperty(s => s.ReservationId, reservation.Id)
                .SetProperty(s => s.HeldUntil, (DateTimeOffset?)null), cancellationToken);
        if (seatTaken == 1)
        {
            await CloseAsync(reservation.Id, ReservationStatus.Expired, ReservationStatus.Confirmed, payment.PaymentId, now, cancellationToken);
            LogLateConfirmation(logger, reservation.Id);
            Confirmed(reservation, payment, now);
            return;
        }

        await CloseAsync(reservation.Id, ReservationStatus.Expired, ReservationStatus.Rejected, payment.PaymentId, now, cancellationToken);
        LogRejected(logger, reservation.Id, payment.PaymentId);
        outbox.Add(new ReservationRejected(reservation.Id, reservation.UserId, payment.PaymentId, payment.Amount,
            "The hold expired before the payment arrived and the seat was taken meanwhile.", now), partitionKey: reservation.Id.ToString());
    }

    private async Task<bool> CloseAsync(
        Guid reservationId, ReservationStatus from, ReservationStatus to, Guid paymentId, DateTimeOffset now, CancellationToken cancellationToken) =>
        await db.Reservations.Where(r => r.Id == reservationId && r.Status == from)
            .ExecuteUpdateAsync(set => set
                .SetProperty(r => r.Status, to)
                .SetProperty(r => r.ClosedAt, now)
                .SetProperty(r => r.PaymentId, paymentId), cancellationToken) == 1;

    private void Confirmed(Reservation reservation, PaymentCompleted payment, DateTimeOffset now) =>
        outbox.Add(new ReservationConfirmed(reservation.Id, reservation.ConcertId, reservation.SeatId, reservation.UserId,
            payment.PaymentId, payment.Amount, now), partitionKey: reservation.Id.ToString());

    [LoggerMessage(Level = LogLevel.Information, Message = "Reservation {ReservationId} is already {Status}; the payment changes nothing")]
    private static partial void LogAlreadyClosed(ILogger logger, Guid reservationId, ReservationStatus status);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Reservation {ReservationId} was paid after its hold expired; the seat was still free, so it is confirmed")]
    private static partial void LogLateConfirmation(ILogger logger, Guid reservationId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Reservation {ReservationId} was paid ({PaymentId}) after its seat was taken; rejected, refund requested")]
    private static partial void LogRejected(ILogger logger, Guid reservationId, Guid paymentId);
}
