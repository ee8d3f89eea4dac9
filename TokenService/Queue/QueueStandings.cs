using ConcertBooking.Database;
using ConcertBooking.TokenService.Data;
using Microsoft.EntityFrameworkCore;

namespace ConcertBooking.TokenService.Queue;

public static class QueueStandings
{
    /// <summary>
    /// Compiled once: every poll of a waiting token asks it, and EF Core otherwise re-reads the query's expression and
    /// looks it up in its cache on every execution (about a tenth of each service's CPU in a flash-sale profile).
    /// </summary>
    private static readonly CompiledPerModel<Func<TokenDbContext, Guid, DateTimeOffset, long, CancellationToken, Task<int>>> WaitingAhead = new(() =>
        EF.CompileAsyncQuery((TokenDbContext db, Guid concertId, DateTimeOffset enteredAt, long sequence, CancellationToken _) =>
            db.QueueTokens.Count(t => t.ConcertId == concertId && t.Status == QueueTokenStatus.Waiting
                && (t.EnteredAt < enteredAt || (t.EnteredAt == enteredAt && t.Sequence < sequence)))));

    /// <summary>Where the token stands at <paramref name="now"/>; the position costs a count, so only while waiting.</summary>
    public static async Task<QueueStanding> StandingAsync(this TokenDbContext db, QueueToken token, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var status = token.EffectiveStatus(now);
        int? position = null;
        if (status == QueueTokenStatus.Waiting)
        {
            // 1 = next to be admitted: the waiting tokens of the same concert that entered before this one, plus one.
            position = 1 + await WaitingAhead.For(db)(db, token.ConcertId, token.EnteredAt, token.Sequence, cancellationToken);
        }

        return new QueueStanding(token, status, position);
    }
}
