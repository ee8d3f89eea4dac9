using ConcertBooking.PaymentService.Data;
using ConcertBooking.PaymentService.Wallets;
using Microsoft.EntityFrameworkCore;

namespace ConcertBooking.PaymentService.Payments;

/// <summary>
/// Gives a completed payment's amount back to the wallet, once: ConcertService could not sell the seat it paid
/// for. Runs in the caller's transaction (the inbox's), with conditional UPDATEs only.
/// </summary>
public sealed class RefundPayment(PaymentDbContext db, CreditWallet credit, TimeProvider time)
{
    public async Task<RefundResult> RefundAsync(Guid paymentId, Guid reservationId, Guid userId, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        // Conditional on Completed, so even a replay past the inbox window refunds only once.
        var refunded = await db.Payments
            .Where(p => p.Id == paymentId && p.Status == PaymentStatus.Completed)
            .ExecuteUpdateAsync(set => set.SetProperty(p => p.Status, PaymentStatus.Refunded).SetProperty(p => p.RefundedAt, now), cancellationToken);
        if (refunded == 0)
        {
            return RefundResult.NothingToRefund;
        }

        var amount = await db.Payments.Where(p => p.Id == paymentId).Select(p => p.Amount).FirstAsync(cancellationToken);
        await credit.CreditAsync(userId, amount, now, cancellationToken);
        await db.PayableReservations.Where(r => r.ReservationId == reservationId)
            .ExecuteUpdateAsync(set => set.SetProperty(r => r.Status, PayableStatus.Refunded).SetProperty(r => r.UpdatedAt, now), cancellationToken);
        return RefundResult.Refunded;
    }
}
