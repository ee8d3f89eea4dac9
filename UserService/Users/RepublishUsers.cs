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
            // A scope per batch keeps the change tracker small and commits as it goes.
            await using var scope = scopeFactory.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<UserDbContext>();
            var outbox = scope.ServiceProvider.GetRequiredService<IOutbox>();
            var batch = await db.Users.AsNoTracking()
                .Where(u => u.Id.CompareTo(after) > 0)
                .OrderBy(u => u.Id)
                .Take(BatchSize)
                .ToListAsync(cancellationToken);
            if (batch.Count == 0)
            {
                return new RepublishResult(republished);
            }

            var now = time.GetUtcNow();
            foreach (var user in batch)
            {
                outbox.Add(new UserUpdated(user.Id, user.Name, user.Email, user.Version, now), user.Id.ToString());
            }

            await db.SaveChangesAsync(cancellationToken);
            republished += batch.Count;
            after = batch[^1].Id;
        }
    }
}
