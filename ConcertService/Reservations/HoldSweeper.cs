using ConcertBooking.ConcertService.Concerts;
using ConcertBooking.ConcertService.Data;
using ConcertBooking.Contracts;
using ConcertBooking.Messaging.Outbox;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace ConcertBooking.ConcertService.Reservations;

/// <summary>
/// Releases holds past their expiry: the reservation becomes Expired, the seat Available, and ReservationExpired is
/// staged in the outbox, all in one transaction. Safe with several instances and against a concurrent confirmation:
/// each step is a conditional UPDATE, and the one that finds nothing to change rolls the whole expiry back.
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
        await using (var scope = scopeFactory.CreateAsyncScope())
        {
            due = await scope.ServiceProvider.GetRequiredService<ConcertDbContext>().Reservations
                .Where(r => r.Status == ReservationStatus.Pending && r.ExpiresAt <= now)
                .OrderBy(r => r.ExpiresAt).Select(r => r.Id).Take(options.Value.SweepBatchSize)
                .ToListAsync(cancellationToken);
        }

        var expired = 0;
        foreach (var id in due)
        {
            expired += await ExpireAsync(id, now, cancellationToken) ? 1 : 0;
        }

        return expired;
    }

    private async Task<bool> ExpireAsync(Guid reservationId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var scope = scopeFactory.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ConcertDbContext>();
        var outbox = scope.ServiceProvider.GetRequiredService<IOutbox>();

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var changed = await db.Reservations
            .Where(r => r.Id == reservationId && r.Status == ReservationStatus.Pending)
            .ExecuteUpdateAsync(set => set.SetProperty(r => r.Status, ReservationStatus.Expired).SetProperty(r => r.ClosedAt, now), cancellationToken);
        if (changed == 0)
        {
            return false; // confirmed (or expired by another instance) in the meantime
        }

        await db.Seats
            .Where(s => s.ReservationId == reservationId && s.Status == SeatStatus.Held)
            .ExecuteUpdateAsync(set => set
                .SetProperty(s => s.Status, SeatStatus.Available)
                .SetProperty(s => s.ReservationId, (Guid?)null)
                .SetProperty(s => s.HeldUntil, (DateTimeOffset?)null), cancellationToken);
        var reservation = await db.Reservations.AsNoTracking().FirstAsync(r => r.Id == reservationId, cancellationToken);
        outbox.Add(new ReservationExpired(reservation.Id, reservation.ConcertId, reservation.SeatId, reservation.UserId, now),
            partitionKey: reservation.Id.ToString());
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        LogExpired(logger, reservationId);
        return true;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Reservation {ReservationId} expired; its seat is available again")]
    private static partial void LogExpired(ILogger logger, Guid reservationId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Sweeping expired holds failed; retrying at the next interval")]
    private static partial void LogSweepFailed(ILogger logger, Exception exception);
}
