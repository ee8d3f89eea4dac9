using ConcertBooking.TokenService.Data;
using Microsoft.EntityFrameworkCore;

namespace ConcertBooking.TokenService.Queue;

public static class QueueStandings
{
    /// <summary>Where the token stands at <paramref name="now"/>; the position costs a count, so only while waiting.</summary>
    public static async Task<QueueStanding> StandingAsync(this TokenDbContext db, QueueToken token, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var status = token.EffectiveStatus(now);
        int? position = null;
        if (status == QueueTokenStatus.Waiting)
        {
            // 1 = next to be admitted: the waiting tokens of the same concert that entered before this one, plus one.
            position = 1 + await db.QueueTokens.CountAsync(
                t => t.ConcertId == token.ConcertId && t.Status == QueueTokenStatus.Waiting
                     && (t.EnteredAt < token.EnteredAt || (t.EnteredAt == token.EnteredAt && t.Sequence < token.Sequence)),
                cancellationToken);
        }

        return new QueueStanding(token, status, position);
    }
}
