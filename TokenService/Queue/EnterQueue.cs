using ConcertBooking.Database;
using ConcertBooking.TokenService.Data;
using ConcertBooking.UserReplica;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace ConcertBooking.TokenService.Queue;

/// <summary>
/// Puts a known user in the waiting queue of a concert that ConcertService announced, and lets them in at once when
/// nobody waits before them and the admission rate has room (<see cref="QueueOptions.AdmitOnEntry"/>); entering again
/// never creates a second token.
/// </summary>
public sealed class EnterQueue(
    TokenDbContext db,
    QueueEntryInserts inserts,
    TokenAdmission admission,
    AdmissionBudget budget,
    IOptions<QueueOptions> options,
    TimeProvider time)
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
                var admitted = TryAdmitAtOnce(existing, found.Waiting, now);
                try
                {
                    await db.SaveChangesAsync(cancellationToken);
                }
                catch (DbUpdateConcurrencyException)
                {
                    ReturnUnused(existing, admitted);
                    // A concurrent re-entry (or the admitter) moved the token first: answer with where it stands now.
                    db.ChangeTracker.Clear();
                    var current = await db.QueueTokens.AsNoTracking().FirstOrDefaultAsync(t => t.Id == existing.Id, cancellationToken);
                    if (current is null || current.EffectiveStatus(time.GetUtcNow()) == QueueTokenStatus.Expired)
                    {
                        // Purged meanwhile, or a concurrent re-entry's admission has already run out (the admitter marked
                        // it): this entry is a re-entry still, so it enters again rather than answer Expired.
                        return await EnterAsync(concertId, userId, cancellationToken);
                    }

                    existing = current;
                }
            }

            return new EnterQueueResult.AlreadyQueued(await db.StandingAsync(existing, now, cancellationToken));
        }

        var token = QueueToken.Enter(concertId, userId, now);
        var admittedAtOnce = TryAdmitAtOnce(token, found.Waiting, now);
        QueueToken? winner = null;
        await inserts.InsertAsync(token, async () => winner = await InsertAloneAsync(token, admittedAtOnce, cancellationToken), cancellationToken);
        if (winner is not null)
        {
            return new EnterQueueResult.AlreadyQueued(await db.StandingAsync(winner, now, cancellationToken));
        }

        // Everyone waiting at the check entered before this token, so it stands behind them all; counted with the check
        // instead of again after the insert. An entry committed in between is missed, as one admitted in between is
        // still counted: a position is a moment's snapshot either way, and every poll counts afresh.
        return new EnterQueueResult.Entered(admittedAtOnce
            ? new QueueStanding(token, QueueTokenStatus.Admitted, null)
            : new QueueStanding(token, QueueTokenStatus.Waiting, found.Waiting + 1));
    }

    /// <summary>
    /// Inserts a new token by itself; null when it entered, or the token of a concurrent entry of the same user that won
    /// (the unique index), to answer with as for any repeated entry.
    /// </summary>
    private async Task<QueueToken?> InsertAloneAsync(QueueToken token, bool admittedAtOnce, CancellationToken cancellationToken)
    {
        db.QueueTokens.Add(token);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
            return null;
        }
        catch (DbUpdateException exception) when (exception.IsUniqueViolation())
        {
            db.ChangeTracker.Clear();
            var stored = await db.QueueTokens.FirstAsync(t => t.ConcertId == token.ConcertId && t.UserId == token.UserId, cancellationToken);
            if (stored.Id == token.Id)
            {
                // This very token: a group's commit reached the database although its answer was lost, so it entered, and
                // its admission is spent.
                return null;
            }

            ReturnUnused(token, admittedAtOnce);
            return stored;
        }
    }

    /// <summary>
    /// Admits a token entering at the back of an empty queue when the rate has room. Someone already waiting is the
    /// admitter's to let in first, so the rate's room stays theirs and the newcomer queues behind them.
    /// </summary>
    private bool TryAdmitAtOnce(QueueToken token, int waiting, DateTimeOffset now)
    {
        if (!options.Value.AdmitOnEntry || waiting > 0 || budget.Take(token.ConcertId, 1) == 0)
        {
            return false;
        }

        admission.Admit(token, now);
        return true;
    }

    private void ReturnUnused(QueueToken token, bool admitted)
    {
        if (admitted)
        {
            budget.Return(token.ConcertId, 1);
        }
    }

    private sealed record EntryCheck(bool UserKnown, QueueToken? Existing, int Waiting);
}
