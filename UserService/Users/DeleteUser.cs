using ConcertBooking.Database;
using ConcertBooking.Messaging.Outbox;
using ConcertBooking.UserService.Data;
using Microsoft.EntityFrameworkCore;

namespace ConcertBooking.UserService.Users;

/// <summary>Deletes a user: the row's removal and its UserDeleted in one transaction, so replicas keep a tombstone.</summary>
public sealed class DeleteUser(UserDbContext db, IOutbox outbox, TimeProvider time)
{
    public async Task<DeleteUserResult> DeleteAsync(Guid id, CancellationToken cancellationToken)
    {
        var user = await db.Users.FirstOrDefaultAsync(u => u.Id == id, cancellationToken);
        if (user is null)
        {
            return new DeleteUserResult.UnknownUser();
        }

        // The row first, then its event: UserDeleted takes its place in the key's order (its outbox sequence) only once
        // this transaction holds the row, after any other writer of it (a republish, a change) has committed.
        await using var transaction = await db.Database.BeginUnlessJoinedAsync(cancellationToken);
        db.Users.Remove(user);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateConcurrencyException)
        {
            return new DeleteUserResult.ChangedConcurrently();
        }

        outbox.Add(user.Delete(time.GetUtcNow()), partitionKey: user.Id.ToString());
        await db.SaveChangesAsync(cancellationToken);
        if (transaction is not null)
        {
            await transaction.CommitAsync(cancellationToken);
        }

        return new DeleteUserResult.Deleted();
    }
}
