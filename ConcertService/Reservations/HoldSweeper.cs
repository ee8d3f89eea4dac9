using ConcertBooking.ConcertService.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace ConcertBooking.ConcertService.Reservations;

/// <summary>
/// Every <c>Reservations:SweepInterval</c>: the pending holds past their expiry by <c>Reservations:ExpiryGrace</c>,
/// each released by <see cref="ExpireHold"/>.
/// </summary>
public sealed partial class HoldSweeper(
    IServiceScopeFactory scopeFactory, IOptions<ReservationOptions> options, TimeProvider time, ILogger<HoldSweeper> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.SweepInterval, time);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await SweepAsync(stoppingToken);
            }
            catch (Exception exception) when (!stoppingToken.IsCancellationRequested)
            {
                // Nothing is lost: the expired holds are still there at the next tick.
                LogSweepFailed(logger, exception);
            }
        }
    }

    internal async Task<int> SweepAsync(CancellationToken cancellationToken)
    {
        List<Guid> due;
        var now = time.GetUtcNow();
        var expiredBefore = now - options.Value.ExpiryGrace;
        await using (var scope = scopeFactory.CreateAsyncScope())
        {
            due = await scope.ServiceProvider.GetRequiredService<ConcertDbContext>().Reservations
                .Where(r => r.Status == ReservationStatus.Pending && r.ExpiresAt <= expiredBefore)
                .OrderBy(r => r.ExpiresAt).Select(r => r.Id).Take(options.Value.SweepBatchSize)
                .ToListAsync(cancellationToken);
        }

        var expired = 0;
        foreach (var id in due)
        {
            // A scope per hold: each expiry is its own transaction on its own DbContext.
            await using var scope = scopeFactory.CreateAsyncScope();
            if (await scope.ServiceProvider.GetRequiredService<ExpireHold>().ExpireAsync(id, now, cancellationToken) == ExpireHoldResult.Expired)
            {
                LogExpired(logger, id);
                expired++;
            }
        }

        return expired;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Reservation {ReservationId} expired; its seat is available again")]
    private static partial void LogExpired(ILogger logger, Guid reservationId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Sweeping expired holds failed; retrying at the next interval")]
    private static partial void LogSweepFailed(ILogger logger, Exception exception);
}
