using ConcertBooking.Database;
using ConcertBooking.TokenService.Data;
using ConcertBooking.UserReplica;
using Microsoft.EntityFrameworkCore;

namespace ConcertBooking.TokenService.Queue;

/// <summary>
/// Puts a known user in the waiting queue of a concert that ConcertService announced; entering again never creates a
/// second token.
/// </summary>
public sealed class EnterQueue(TokenDbContext db, TimeProvider time)
{
    /// <summary>
    /// The concert, whether the replica knows the user, the user's existing token and how many wait in the concert's
    /// queue, in one round trip (in a flash sale every entry asks them at once, and a round trip costs more CPU here than
    /// the query behind it), compiled once (EF Core otherwise prepares the query again on every execution).
    /// </summary>
    private static readonly CompiledPerModel<Func<TokenDbContext, Guid, Guid, CancellationToken, Task<EntryCheck?>>> CheckEntry = new(() =>
        EF.CompileAsyncQuery(KnownUsers.WithKnownUserRule<Func<TokenDbContext, Guid, Guid, CancellationToken, EntryCheck?>>(
            (db, concertId, userId, _) => db.Concerts
                .Where(c => c.Id == concertId)
                .Select(c => new EntryCheck(
                    db.Users.Any(u => u.IsKnownAs(userId)),
                    db.QueueTokens.FirstOrDefault(t => t.ConcertId == concertId && t.UserId == userId),
                    db.QueueTokens.Count(t => t.ConcertId == concertId && t.Status == QueueTokenStatus.Waiting)))
                .FirstOrDefault())));

    public async Task<EnterQueueResult> EnterAsync(Guid concertId, Guid userId, CancellationToken cancellationToken)
    {
        var found = await CheckEntry.For(db)(db, concertId, userId, cancellationToken);
        if (found is null)
        {
            return new EnterQueueResult.UnknownConcert();
        }

        if (!found.UserKnown)
        {
            return new EnterQueueResult.UnknownUser();
        }

        var now = time.GetUtcNow();
        var existing = found.Existing;
        if (existing is not null)
        {
            if (existing.RequeueIfExpired(now))
            {
                try
                {
                    await db.SaveChangesAsync(cancellationToken);
                }
                catch (DbUpdateConcurrencyException)
                {
                    // A concurrent re-entry (or the admitter) moved the token first: answer with where it stands now.
                    db.ChangeTracker.Clear();
                    var current = await db.QueueTokens.AsNoTracking().FirstOrDefaultAsync(t => t.Id == existing.Id, cancellationToken);
                    if (current is null)
                    {
                        return await EnterAsync(concertId, userId, cancellationToken); // purged meanwhile: enter afresh
                    }

                    existing = current;
                }
            }

            return new EnterQueueResult.AlreadyQueued(await db.StandingAsync(existing, now, cancellationToken));
        }

        var token = QueueToken.Enter(concertId, userId, now);
        db.QueueTokens.Add(token);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException exception) when (exception.IsUniqueViolation())
        {
            // A concurrent entry of the same user won: answer with its token, as for any repeated entry.
            db.ChangeTracker.Clear();
            var winner = await db.QueueTokens.FirstAsync(t => t.ConcertId == concertId && t.UserId == userId, cancellationToken);
            return new EnterQueueResult.AlreadyQueued(await db.StandingAsync(winner, now, cancellationToken));
        }

        // Everyone waiting at the check entered before this token, so it stands behind them all; counted with the check
        // instead of again after the insert. An entry committed in between is missed, as one admitted in between is
        // still counted: a position is a moment's snapshot either way, and every poll counts afresh.
        return new EnterQueueResult.Entered(new QueueStanding(token, QueueTokenStatus.Waiting, found.Waiting + 1));
    }

    private sealed record EntryCheck(bool UserKnown, QueueToken? Existing, int Waiting);
}
