using ConcertBooking.Contracts;
using ConcertBooking.Messaging.Outbox;
using ConcertBooking.UserService.Data;
using Microsoft.Extensions.DependencyInjection;

namespace ConcertBooking.Tests.Infrastructure;

/// <summary>Writes events straight into UserService's outbox, as its endpoints would, without a request per event.</summary>
public static class OutboxRows
{
    /// <summary>One UserCreated per new user, keyed by the user, in one transaction; returns the user ids.</summary>
    public static async Task<List<Guid>> AddUserCreatedAsync(this ServiceHost<UserDbContext> users, int count, string name) =>
        await users.WithScopeAsync(async services =>
        {
            var outbox = services.GetRequiredService<IOutbox>();
            var ids = new List<Guid>(count);
            for (var i = 0; i < count; i++)
            {
                var id = Guid.CreateVersion7();
                outbox.Add(new UserCreated(id, $"{name} {i}", $"{name.ToLowerInvariant().Replace(' ', '.')}{i}.{id:N}@example.com", 1,
                    DateTimeOffset.UtcNow), id.ToString());
                ids.Add(id);
            }

            await services.GetRequiredService<UserDbContext>().SaveChangesAsync();
            return ids;
        });
}
