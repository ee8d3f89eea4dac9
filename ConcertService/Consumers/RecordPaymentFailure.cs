using ConcertBooking.ConcertService.Data;
using ConcertBooking.ConcertService.Reservations;
using ConcertBooking.Contracts;
using MassTransit;
using Microsoft.EntityFrameworkCore;

namespace ConcertBooking.ConcertService.Consumers;

/// <summary>
/// Records PaymentService's refusal of a payment on the reservation, so that <c>GET /reservations/{id}/last-payment-failure</c>
/// tells its holder why it is still pending. Safe to repeat: only a newer refusal replaces the one recorded.
/// </summary>
public sealed class RecordPaymentFailure(ConcertDbContext db) : IConsumer<PaymentFailed>
{
    public async Task Consume(ConsumeContext<PaymentFailed> context)
    {
        var failed = context.Message;
        var reason = failed.Reason.Length <= PaymentFailure.ReasonMaxLength ? failed.Reason : failed.Reason[..PaymentFailure.ReasonMaxLength];
        var recorded = await db.Set<PaymentFailure>().FirstOrDefaultAsync(f => f.ReservationId == failed.ReservationId, context.CancellationToken);
        if (recorded is null)
        {
            db.Set<PaymentFailure>().Add(new PaymentFailure
            {
                ReservationId = failed.ReservationId, Amount = failed.Amount, Reason = reason, FailedAt = failed.FailedAt, Failures = 1,
            });
        }
        else if (failed.FailedAt > recorded.FailedAt)
        {
            recorded.Amount = failed.Amount;
            recorded.Reason = reason;
            recorded.FailedAt = failed.FailedAt;
            recorded.Failures++;
        }
    }
}
