using ConcertBooking.Contracts;
using ConcertBooking.PaymentService.Data;
using ConcertBooking.PaymentService.Payments;
using ConcertBooking.PaymentService.Wallets;
using MassTransit;
using Microsoft.EntityFrameworkCore;

namespace ConcertBooking.PaymentService.Consumers;

// These consumers keep PaymentService's view of reservations. Each runs in the inbox transaction and only stages
// changes (or runs conditional UPDATEs in that transaction); the inbox commits them with its row.

/// <summary>A new hold becomes payable until its expiry.</summary>
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

        db.PayableReservations.Add(new PayableReservation
        {
            ReservationId = created.ReservationId,
            ConcertId = created.ConcertId,
            SeatId = created.SeatId,
            UserId = created.UserId,
            Amount = created.Amount,
            ExpiresAt = created.ExpiresAt,
            Status = PayableStatus.Pending,
            UpdatedAt = time.GetUtcNow(),
        });
    }
}

/// <summary>An expired hold can no longer be paid.</summary>
public sealed class ExpirePayableReservation(PaymentDbContext db, TimeProvider time) : IConsumer<ReservationExpired>
{
    public async Task Consume(ConsumeContext<ReservationExpired> context)
    {
        var expired = context.Message;
        var reservation = await db.PayableReservations.FirstOrDefaultAsync(r => r.ReservationId == expired.ReservationId, context.CancellationToken);
        if (reservation is null)
        {
            // Overtook its ReservationCreated: keep a tombstone so the late create cannot make it payable.
            db.PayableReservations.Add(new PayableReservation
            {
                ReservationId = expired.ReservationId,
                ConcertId = expired.ConcertId,
                SeatId = expired.SeatId,
                UserId = expired.UserId,
                ExpiresAt = expired.ExpiredAt,
                Status = PayableStatus.Expired,
                UpdatedAt = time.GetUtcNow(),
            });
            return;
        }

        // A reservation paid just before its expiry stays Paid: ConcertService decides (confirm or reject and refund).
        if (reservation.Status == PayableStatus.Pending)
        {
            reservation.Status = PayableStatus.Expired;
            reservation.UpdatedAt = time.GetUtcNow();
        }
    }
}

/// <summary>ConcertService sold the seat: the reservation is Confirmed in this view too.</summary>
public sealed class MarkReservationConfirmed(PaymentDbContext db, TimeProvider time) : IConsumer<ReservationConfirmed>
{
    public async Task Consume(ConsumeContext<ReservationConfirmed> context) =>
        await db.PayableReservations
            .Where(r => r.ReservationId == context.Message.ReservationId && r.Status != PayableStatus.Confirmed)
            .ExecuteUpdateAsync(set => set.SetProperty(r => r.Status, PayableStatus.Confirmed).SetProperty(r => r.UpdatedAt, time.GetUtcNow()),
                context.CancellationToken);
}

/// <summary>ConcertService could not sell the seat for a late payment: the money goes back to the wallet, once.</summary>
public sealed class RefundRejectedPayment(PaymentDbContext db, TimeProvider time) : IConsumer<ReservationRejected>
{
    public async Task Consume(ConsumeContext<ReservationRejected> context)
    {
        var rejected = context.Message;
        var now = time.GetUtcNow();
        var cancellationToken = context.CancellationToken;
        // Conditional on Completed, so even a replay past the inbox window refunds only once.
        var refunded = await db.Payments
            .Where(p => p.Id == rejected.PaymentId && p.Status == PaymentStatus.Completed)
            .ExecuteUpdateAsync(set => set.SetProperty(p => p.Status, PaymentStatus.Refunded).SetProperty(p => p.RefundedAt, now), cancellationToken);
        if (refunded == 0)
        {
            return;
        }

        var amount = await db.Payments.Where(p => p.Id == rejected.PaymentId).Select(p => p.Amount).FirstAsync(cancellationToken);
        await WalletsApi.CreditAsync(db, rejected.UserId, amount, now, cancellationToken);
        await db.PayableReservations.Where(r => r.ReservationId == rejected.ReservationId)
            .ExecuteUpdateAsync(set => set.SetProperty(r => r.Status, PayableStatus.Refunded).SetProperty(r => r.UpdatedAt, now), cancellationToken);
    }
}
