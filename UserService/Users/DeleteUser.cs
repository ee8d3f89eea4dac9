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

        db.Users.Remove(user);
        outbox.Add(user.Delete(time.GetUtcNow()), partitionKey: user.Id.ToString());
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateConcurrencyException)
        {
            return new DeleteUserResult.ChangedConcurrently();
        }

        return new DeleteUserResult.Deleted();
    }
}
