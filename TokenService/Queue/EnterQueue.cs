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
    public async Task<EnterQueueResult> EnterAsync(Guid concertId, Guid userId, CancellationToken cancellationToken)
    {
        // One round trip for the three questions: in a flash sale every entry asks them at once, and a round trip
        // (two system calls and a wake-up on each side) costs more CPU here than the query behind it.
        var knownUser = db.KnownUser(userId);
        var found = await db.Concerts
            .Where(c => c.Id == concertId)
            .Select(c => new
            {
                UserKnown = knownUser.Any(),
                Existing = db.QueueTokens.FirstOrDefault(t => t.ConcertId == concertId && t.UserId == userId),
            })
            .FirstOrDefaultAsync(cancellationToken);
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

        return new EnterQueueResult.Entered(await db.StandingAsync(token, now, cancellationToken));
    }
}
