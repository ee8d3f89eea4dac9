using ConcertBooking.TokenService.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace ConcertBooking.TokenService.Queue;

/// <summary>
/// One admission round: marks admissions past their expiry Expired, then admits the longest-waiting tokens of each
/// concert, as many as its <see cref="AdmissionBudget"/> has left (<c>Queue:AdmitPerInterval</c> at most, less what
/// the queue's entry admitted since the last round).
/// </summary>
public sealed partial class AdmitWaitingTokens(
    TokenDbContext db, TokenAdmission admission, AdmissionBudget budget, IOptions<QueueOptions> options, TimeProvider time,
    ILogger<AdmitWaitingTokens> logger)
{
    /// <returns>How many tokens were admitted.</returns>
    public async Task<int> AdmitAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var settings = options.Value;

        await db.QueueTokens
            .Where(t => t.Status == QueueTokenStatus.Admitted && t.ExpiresAt <= now)
            .ExecuteUpdateAsync(set => set.SetProperty(t => t.Status, QueueTokenStatus.Expired), cancellationToken);

        var concerts = await db.QueueTokens.Where(t => t.Status == QueueTokenStatus.Waiting)
            .Select(t => t.ConcertId).Distinct().ToListAsync(cancellationToken);
        var admitted = 0;
        foreach (var concertId in concerts)
        {
            var room = budget.Take(concertId, settings.AdmitPerInterval);
            if (room == 0)
            {
                continue;
            }

            var next = await db.QueueTokens
                .Where(t => t.ConcertId == concertId && t.Status == QueueTokenStatus.Waiting)
                .OrderBy(t => t.EnteredAt).ThenBy(t => t.Sequence)
                .Take(room)
                .ToListAsync(cancellationToken);
            budget.Return(concertId, room - next.Count);
            foreach (var token in next)
            {
                admission.Admit(token, now);
            }

            // Status is a concurrency token: a concurrent admitter (another instance) loses instead of admitting twice.
            await db.SaveChangesAsync(cancellationToken);
            LogAdmitted(logger, next.Count, concertId);
            admitted += next.Count;
        }

        return admitted;
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Admitted {Count} tokens of concert {ConcertId}")]
    private static partial void LogAdmitted(ILogger logger, int count, Guid concertId);
}
