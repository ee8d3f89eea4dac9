using ConcertBooking.EntryPasses;
using ConcertBooking.TokenService.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace ConcertBooking.TokenService.Queue;

/// <summary>
/// Every interval: marks admissions past their expiry Expired, then admits up to N of the longest-waiting tokens
/// of each concert, each with a signed entry pass that ConcertService verifies without calling back here.
/// </summary>
public sealed partial class QueueAdmitter(
    IServiceScopeFactory scopeFactory, IOptions<QueueOptions> options, EntryPassCodec passes, TimeProvider time, ILogger<QueueAdmitter> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.AdmissionInterval, time);
        do
        {
            try
            {
                await AdmitAsync(stoppingToken);
            }
            catch (Exception exception) when (!stoppingToken.IsCancellationRequested)
            {
                // The next tick tries again (database restarting, a deadlock); the queue only waits a little longer.
                LogAdmissionFailed(logger, exception);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    internal async Task AdmitAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopeFactory.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TokenDbContext>();
        var now = time.GetUtcNow();
        var settings = options.Value;

        await db.QueueTokens
            .Where(t => t.Status == QueueTokenStatus.Admitted && t.ExpiresAt <= now)
            .ExecuteUpdateAsync(set => set.SetProperty(t => t.Status, QueueTokenStatus.Expired), cancellationToken);

        var concerts = await db.QueueTokens.Where(t => t.Status == QueueTokenStatus.Waiting)
            .Select(t => t.ConcertId).Distinct().ToListAsync(cancellationToken);
        foreach (var concertId in concerts)
        {
            var next = await db.QueueTokens
                .Where(t => t.ConcertId == concertId && t.Status == QueueTokenStatus.Waiting)
                .OrderBy(t => t.EnteredAt).ThenBy(t => t.Sequence)
                .Take(settings.AdmitPerInterval)
                .ToListAsync(cancellationToken);
            var expiresAt = now + settings.AdmissionLifetime;
            foreach (var token in next)
            {
                token.Status = QueueTokenStatus.Admitted;
                token.AdmittedAt = now;
                token.ExpiresAt = expiresAt;
                token.EntryPass = passes.Sign(new EntryPassClaims(token.UserId, token.ConcertId, token.Id, expiresAt));
            }

            // Status is a concurrency token: a concurrent admitter (another instance) loses instead of admitting twice.
            await db.SaveChangesAsync(cancellationToken);
            LogAdmitted(logger, next.Count, concertId);
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Admitted {Count} tokens of concert {ConcertId}")]
    private static partial void LogAdmitted(ILogger logger, int count, Guid concertId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Admitting queue tokens failed; retrying at the next interval")]
    private static partial void LogAdmissionFailed(ILogger logger, Exception exception);
}
