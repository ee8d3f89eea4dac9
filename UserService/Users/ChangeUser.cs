using ConcertBooking.Database;
using ConcertBooking.Messaging.Outbox;
using ConcertBooking.UserService.Data;
using Microsoft.EntityFrameworkCore;

namespace ConcertBooking.UserService.Users;

/// <summary>Renames a user and/or changes its email: the row and its UserUpdated in one transaction.</summary>
public sealed class ChangeUser(UserDbContext db, IOutbox outbox, TimeProvider time)
{
    /// <param name="name">The new name, or null to keep it.</param>
    /// <param name="email">The new email, or null to keep it.</param>
    public async Task<ChangeUserResult> ChangeAsync(Guid id, string? name, string? email, CancellationToken cancellationToken)
    {
        var user = await db.Users.FirstOrDefaultAsync(u => u.Id == id, cancellationToken);
        if (user is null)
        {
            return new ChangeUserResult.UnknownUser();
        }

        if (email is not null
            && await db.Users.AnyAsync(u => u.Id != id && u.NormalizedEmail == User.Normalize(email), cancellationToken))
        {
            return new ChangeUserResult.EmailTaken(email.Trim());
        }

        if (user.Change(name, email, time.GetUtcNow()) is not { } updated)
        {
            return new ChangeUserResult.Unchanged(user);
        }

        // The row first, then its event: UserUpdated takes its place in the key's order (its outbox sequence) only once
        // this transaction holds the row, after any other writer of it (a republish, a deletion) has committed.
        await using var transaction = await db.Database.BeginUnlessJoinedAsync(cancellationToken);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateConcurrencyException)
        {
            return new ChangeUserResult.ChangedConcurrently();
        }
        catch (DbUpdateException exception) when (exception.IsUniqueViolation())
        {
            // The check above lost a race with a concurrent signup or change: the unique index decides.
            return new ChangeUserResult.EmailTaken(user.Email);
        }

        outbox.Add(updated, partitionKey: user.Id.ToString());
        await db.SaveChangesAsync(cancellationToken);
        if (transaction is not null)
        {
            await transaction.CommitAsync(cancellationToken);
        }

        return new ChangeUserResult.Changed(user);
    }
}
