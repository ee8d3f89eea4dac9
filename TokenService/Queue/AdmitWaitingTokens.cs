using ConcertBooking.EntryPasses;
using ConcertBooking.TokenService.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace ConcertBooking.TokenService.Queue;

/// <summary>
/// One admission round: marks admissions past their expiry Expired, then admits up to <c>Queue:AdmitPerInterval</c>
/// of the longest-waiting tokens of each concert, each with a signed entry pass that ConcertService verifies without
/// calling back here.
/// </summary>
public sealed partial class AdmitWaitingTokens(
    TokenDbContext db, EntryPassCodec passes, IOptions<QueueOptions> options, TimeProvider time, ILogger<AdmitWaitingTokens> logger)
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
            var next = await db.QueueTokens
                .Where(t => t.ConcertId == concertId && t.Status == QueueTokenStatus.Waiting)
                .OrderBy(t => t.EnteredAt).ThenBy(t => t.Sequence)
                .Take(settings.AdmitPerInterval)
                .ToListAsync(cancellationToken);
            var expiresAt = now + settings.AdmissionLifetime;
            foreach (var token in next)
            {
                token.Admit(now, expiresAt, passes.Sign(new EntryPassClaims(token.UserId, token.ConcertId, token.Id, expiresAt)));
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
