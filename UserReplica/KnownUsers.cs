using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace ConcertBooking.UserReplica;

/// <summary>The local check every booking endpoint makes instead of asking UserService.</summary>
public static class KnownUsers
{
    /// <summary>True when this replica holds the user and it is not a tombstone.</summary>
    public static Task<bool> IsKnownAsync(this IUserReplicaStore store, Guid userId, CancellationToken cancellationToken) =>
        store.KnownUser(userId).AnyAsync(cancellationToken);

    /// <summary>The user when this replica holds them and they are not a tombstone: a query to ask along with others.</summary>
    public static IQueryable<ReplicatedUser> KnownUser(this IUserReplicaStore store, Guid userId) =>
        store.Users.Where(u => u.Id == userId && !u.IsDeleted);

    /// <summary>
    /// The answer for a user this replica does not hold: unknown, deleted, or signed up so recently that the
    /// UserCreated event has not arrived yet, which a client may retry after a moment.
    /// </summary>
    public static ProblemHttpResult UnknownUser(Guid userId, int statusCode = StatusCodes.Status422UnprocessableEntity) =>
        TypedResults.Problem(statusCode: statusCode, title: "Unknown user",
            detail: $"User {userId} is unknown here: not in this service's replica (unknown, deleted, or not replicated yet; retry shortly after signing up).");
}
