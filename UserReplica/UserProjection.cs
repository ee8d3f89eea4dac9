using ConcertBooking.Contracts;
using ConcertBooking.Messaging;
using Microsoft.Extensions.Logging;

namespace ConcertBooking.UserReplica;

/// <summary>
/// Applies a user event to the replica only when it is newer than what the replica holds, so duplicates,
/// reordering and replays all converge to the newest state. A deletion leaves a tombstone with the id and the
/// version only: the name and email are cleared. The write joins the inbox's transaction, which commits it with the
/// inbox entry or rolls both back.
/// </summary>
public sealed partial class UserProjection(
    IUserReplicaStore store, IDatabaseDialect dialect, ReplicationMetrics metrics, TimeProvider timeProvider, ILogger<UserProjection> logger)
{
    /// <summary>UserCreated and UserUpdated: the user's whole state at the event's version.</summary>
    public Task ApplyAsync(IUserStateEvent change, CancellationToken cancellationToken) =>
        ApplyAsync(change, change.Name, change.Email, cancellationToken);

    /// <summary>UserDeleted: a tombstone, so a late or replayed older event cannot bring the user back.</summary>
    public Task ApplyDeletedAsync(UserDeleted change, CancellationToken cancellationToken) =>
        ApplyAsync(change, name: null, email: null, cancellationToken);

    /// <param name="name">Null, with <paramref name="email"/>, for a deletion: a tombstone keeps neither.</param>
    private async Task ApplyAsync(IUserEvent change, string? name, string? email, CancellationToken cancellationToken)
    {
        var now = timeProvider.GetUtcNow();
        // Also when an update overtakes its create: the event carries the whole state.
        var user = new ReplicatedUser
        {
            Id = change.UserId,
            Name = name,
            Email = email,
            Version = change.Version,
            IsDeleted = change is UserDeleted,
            ChangedAt = change.OccurredAt.ToUniversalTime(),
            ReplicatedAt = now,
        };
        if (!await ReplicaUpsert.WriteAsync(store.Context(), dialect, user, cancellationToken))
        {
            LogStale(logger, change.GetType().Name, change.UserId, change.Version);
            return;
        }

        metrics.Applied(change.GetType().Name, now - change.OccurredAt);
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Ignored {EventType} of user {UserId} at version {Version}: the replica holds that version or a newer one")]
    private static partial void LogStale(ILogger logger, string eventType, Guid userId, long version);
}
