using ConcertBooking.ConcertService.Concerts;
using ConcertBooking.ConcertService.Data;
using ConcertBooking.Messaging.Outbox;
using Microsoft.EntityFrameworkCore;

namespace ConcertBooking.ConcertService.Reservations;

/// <summary>
/// A completed payment confirms its reservation and sells the seat. Only conditional UPDATEs and staged events, so
/// it runs inside the caller's transaction (the inbox's) and commits with it, or not at all.
/// <para>
/// A payment for a reservation that expired meanwhile (PaymentService checks the expiry too, so only a payment
/// racing the sweeper gets here): confirmed anyway when the seat is still available, because the user paid and
/// the seat is free; otherwise the reservation is Rejected and ReservationRejected asks PaymentService to refund.
/// Either way the money and the seat end up consistent. A payment already decided gets its decision stated again.
/// </para>
/// </summary>
public sealed class ConfirmReservation(ConcertDbContext db, IOutbox outbox, TimeProvider time)
{
    private const string RejectionReason = "The hold expired before the payment arrived and the seat was taken meanwhile.";

    public async Task<ConfirmReservationResult> ConfirmAsync(Guid reservationId, Guid paymentId, decimal amount, CancellationToken cancellationToken)
    {
        var reservation = await db.Reservations.AsNoTracking().FirstOrDefaultAsync(r => r.Id == reservationId, cancellationToken);
        if (reservation is null)
        {
            return new ConfirmReservationResult.UnknownReservation();
        }

        var now = time.GetUtcNow();
        if (await CloseAsync(reservation.Id, ReservationStatus.Pending, ReservationStatus.Confirmed, paymentId, now, cancellationToken))
        {
            await db.Seats.Where(s => s.ReservationId == reservation.Id && s.Status == SeatStatus.Held)
                .ExecuteUpdateAsync(set => set.SetProperty(s => s.Status, SeatStatus.Sold).SetProperty(s => s.HeldUntil, (DateTimeOffset?)null), cancellationToken);
            outbox.Add(reservation.Confirmed(paymentId, amount, now), partitionKey: reservation.Id.ToString());
            return new ConfirmReservationResult.Confirmed();
        }

        // Expired before the payment arrived, or decided already. The decision is taken on the reservation's row before
        // the seat is touched: a copy of this payment handled at the same moment (the reconciliation sends one under
        // another MessageId) waits here for this transaction, then finds the reservation decided and states that
        // decision again, rather than deciding the other way on a seat this transaction has just changed.
        if (!await CloseAsync(reservation.Id, ReservationStatus.Expired, ReservationStatus.Confirmed, paymentId, now, cancellationToken))
        {
            var current = await db.Reservations.AsNoTracking().FirstAsync(r => r.Id == reservation.Id, cancellationToken);
            RestateOutcome(current, paymentId, amount, now);
            return new ConfirmReservationResult.AlreadyClosed(current.Status);
        }

        var seatTaken = await db.Seats.Where(s => s.Id == reservation.SeatId && s.Status == SeatStatus.Available)
            .ExecuteUpdateAsync(set => set
                .SetProperty(s => s.Status, SeatStatus.Sold)
                .SetProperty(s => s.ReservationId, reservation.Id)
                .SetProperty(s => s.HeldUntil, (DateTimeOffset?)null), cancellationToken);
        if (seatTaken == 1)
        {
            // Sold after all: it counts against the user's cap again (their expiry took it off). Not refused at the cap:
            // the seat is paid for, and a refund for a free seat helps nobody.
            await db.UserSeatCounts.Where(c => c.UserId == reservation.UserId && c.ConcertId == reservation.ConcertId)
                .ExecuteUpdateAsync(set => set.SetProperty(c => c.Seats, c => c.Seats + 1), cancellationToken);
            outbox.Add(reservation.Confirmed(paymentId, amount, now), partitionKey: reservation.Id.ToString());
            return new ConfirmReservationResult.ConfirmedLate();
        }

        // Someone else has the seat: the reservation, whose row this transaction holds, is rejected instead.
        await CloseAsync(reservation.Id, ReservationStatus.Confirmed, ReservationStatus.Rejected, paymentId, now, cancellationToken);
        outbox.Add(reservation.Rejected(paymentId, amount, RejectionReason, now), partitionKey: reservation.Id.ToString());
        return new ConfirmReservationResult.Rejected();
    }

    /// <summary>
    /// A payment asked about again (PaymentService's reconciliation, after an outcome was dead-lettered or lost):
    /// the decision made for it before is published again, as a new message, and changes nothing here.
    /// PaymentService's confirmation and refund are conditional, so a second copy changes nothing there either.
    /// </summary>
    private void RestateOutcome(Reservation closed, Guid paymentId, decimal amount, DateTimeOffset now)
    {
        if (closed.PaymentId != paymentId)
        {
            return;
        }

        var closedAt = closed.ClosedAt ?? now;
        switch (closed.Status)
        {
            case ReservationStatus.Confirmed:
                outbox.Add(closed.Confirmed(paymentId, amount, closedAt), partitionKey: closed.Id.ToString());
                break;
            case ReservationStatus.Rejected:
                outbox.Add(closed.Rejected(paymentId, amount, RejectionReason, closedAt), partitionKey: closed.Id.ToString());
                break;
        }
    }

    private async Task<bool> CloseAsync(
        Guid reservationId, ReservationStatus from, ReservationStatus to, Guid paymentId, DateTimeOffset now, CancellationToken cancellationToken) =>
        await db.Reservations.Where(r => r.Id == reservationId && r.Status == from)
            .ExecuteUpdateAsync(set => set
                .SetProperty(r => r.Status, to)
                .SetProperty(r => r.ClosedAt, now)
                .SetProperty(r => r.PaymentId, paymentId), cancellationToken) == 1;
}
