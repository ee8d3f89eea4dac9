using ConcertBooking.Contracts;
using ConcertBooking.Messaging.Outbox;
using ConcertBooking.UserService.Data;
using Microsoft.EntityFrameworkCore;

namespace ConcertBooking.UserService.Users;

/// <summary>
/// Every user again, at its current version, through the outbox. A replica that already holds that version
/// ignores it, one that lost the user (or a new service) gets it back.
/// </summary>
public sealed class RepublishUsers(IServiceScopeFactory scopeFactory, TimeProvider time)
{
    private const int BatchSize = 500;

    public async Task<RepublishResult> RepublishAsync(CancellationToken cancellationToken)
    {
        var republished = 0;
        var after = Guid.Empty;
        while (true)
        {
            // A scope and a transaction per batch keep the change tracker small and commit as they go.
            await using var scope = scopeFactory.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<UserDbContext>();
            var outbox = scope.ServiceProvider.GetRequiredService<IOutbox>();
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            var ids = await db.Users.Where(u => u.Id.CompareTo(after) > 0).OrderBy(u => u.Id).Select(u => u.Id)
                .Take(BatchSize).ToListAsync(cancellationToken);
            if (ids.Count == 0)
            {
                return new RepublishResult(republished);
            }

            // The batch's rows locked as a change or a deletion of a user locks its row: one that committed first is read
            // as it left the row, one that comes later waits for this commit and has its event staged after these. Read
            // unlocked, a user deleted meanwhile got its old version staged after its UserDeleted: the key's last event,
            // which a compacted topic keeps, would have brought the deleted user back (name and email) to a new reader.
            await db.Users.Where(u => ids.Contains(u.Id))
                .ExecuteUpdateAsync(set => set.SetProperty(u => u.Version, u => u.Version), cancellationToken);
            var batch = await db.Users.AsNoTracking().Where(u => ids.Contains(u.Id)).OrderBy(u => u.Id).ToListAsync(cancellationToken);
            var now = time.GetUtcNow();
            foreach (var user in batch)
            {
                outbox.Add(new UserUpdated(user.Id, user.Name, user.Email, user.Version, now), user.Id.ToString());
            }

            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            republished += batch.Count;
            after = ids[^1];
        }
    }
}
