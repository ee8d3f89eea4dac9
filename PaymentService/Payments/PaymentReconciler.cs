using ConcertBooking.Messaging.Housekeeping;
using ConcertBooking.PaymentService.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace ConcertBooking.PaymentService.Payments;

/// <summary>
/// Every <c>Payments:ReconcileInterval</c>: the reservations still Paid a grace period after their hold expired,
/// which by then should have been confirmed or refunded, each asked about again by <see cref="RequestPaymentOutcome"/>.
/// So a dead-lettered outcome (either way) ends in a confirmed seat or a refund with no operator action.
/// </summary>
public sealed partial class PaymentReconciler(
    IServiceScopeFactory scopeFactory, IOptions<PaymentOptions> options, TimeProvider time, ILogger<PaymentReconciler> logger)
    : PeriodicJob(time, logger)
{
    protected override TimeSpan Interval => options.Value.ReconcileInterval;

    protected override async Task RunOnceAsync(CancellationToken cancellationToken)
    {
        var settledBefore = Time.GetUtcNow() - options.Value.Grace;
        List<Guid> due;
        await using (var scope = scopeFactory.CreateAsyncScope())
        {
            due = await scope.ServiceProvider.GetRequiredService<PaymentDbContext>().PayableReservations
                .Where(r => r.Status == PayableStatus.Paid && r.ExpiresAt <= settledBefore && r.UpdatedAt <= settledBefore)
                .OrderBy(r => r.ExpiresAt).Select(r => r.ReservationId).Take(options.Value.ReconcileBatchSize)
                .ToListAsync(cancellationToken);
        }

        foreach (var reservationId in due)
        {
            // A scope per reservation: each request is its own transaction on its own DbContext.
            await using var scope = scopeFactory.CreateAsyncScope();
            if (await scope.ServiceProvider.GetRequiredService<RequestPaymentOutcome>().RequestAsync(reservationId, cancellationToken))
            {
                LogOutcomeRequested(logger, reservationId);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "Reservation {ReservationId} is still paid with no outcome a grace period after its hold expired; PaymentCompleted is sent again")]
    private static partial void LogOutcomeRequested(ILogger logger, Guid reservationId);
}
