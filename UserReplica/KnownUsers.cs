using System.Linq.Expressions;
using ConcertBooking.Database;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace ConcertBooking.UserReplica;

/// <summary>The local check every booking endpoint makes instead of asking UserService.</summary>
public static class KnownUsers
{
    /// <summary>
    /// <see cref="IsKnownAsync"/>'s query, compiled: EF Core otherwise prepares it again on every call, which costs more CPU
    /// than running it (every payment and every wallet request asks).
    /// </summary>
    private static readonly CompiledPerModel<Func<DbContext, Guid, CancellationToken, Task<bool>>> IsKnown = new(() =>
        EF.CompileAsyncQuery(WithKnownUserRule<Func<DbContext, Guid, CancellationToken, bool>>(
            (db, userId, _) => db.Set<ReplicatedUser>().Any(user => user.IsKnownAs(userId)))));

    /// <summary>True when this replica holds the user and it is not a tombstone.</summary>
    public static Task<bool> IsKnownAsync(this IUserReplicaStore store, Guid userId, CancellationToken cancellationToken)
    {
        var db = store.Context();
        return IsKnown.For(db)(db, userId, cancellationToken);
    }

    /// <summary>The replica's rule for a known user, written once: the row is there and is not a tombstone.</summary>
    internal static readonly Expression<Func<ReplicatedUser, Guid, bool>> Rule = (user, userId) => user.Id == userId && !user.IsDeleted;

    /// <summary>
    /// Stands for <see cref="Rule"/> inside a query handed to <see cref="WithKnownUserRule{T}"/>, which writes the rule in
    /// its place; it never runs.
    /// </summary>
    public static bool IsKnownAs(this ReplicatedUser user, Guid userId) =>
        throw new InvalidOperationException($"{nameof(IsKnownAs)} only marks the known-user rule inside a query passed to {nameof(KnownUsers)}.{nameof(WithKnownUserRule)}.");

    /// <summary>
    /// The query with the rule written in for every <see cref="IsKnownAs"/>: for queries compiled once
    /// (<c>EF.CompileAsyncQuery</c>), which cannot call a method that builds part of the query.
    /// </summary>
    public static Expression<T> WithKnownUserRule<T>(Expression<T> query) => (Expression<T>)new KnownUserRuleInliner().Visit(query);

    /// <summary>
    /// The answer for a user this replica does not hold: unknown, deleted, or signed up so recently that the
    /// UserCreated event has not arrived yet, which a client may retry after a moment.
    /// </summary>
    public static ProblemHttpResult UnknownUser(Guid userId, int statusCode = StatusCodes.Status422UnprocessableEntity) =>
        TypedResults.Problem(statusCode: statusCode, title: "Unknown user",
            detail: $"User {userId} is unknown here: not in this service's replica (unknown, deleted, or not replicated yet; retry shortly after signing up).");
}
