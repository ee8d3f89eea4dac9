using ConcertBooking.Contracts;
using Microsoft.Extensions.Logging;

namespace ConcertBooking.UserReplica;

/// <summary>
/// Applies a user event to the replica only when it is newer than what the replica holds, so duplicates,
/// reordering and replays all converge to the newest state. Changes are staged; the inbox commits them.
/// </summary>
public sealed partial class UserProjection(
    IUserReplicaStore store, ReplicationMetrics metrics, TimeProvider timeProvider, ILogger<UserProjection> logger)
{
    public async Task ApplyAsync(IUserEvent change, bool deleted, CancellationToken cancellationToken)
    {
        var user = await store.Users.FindAsync([change.UserId], cancellationToken);
        var now = timeProvider.GetUtcNow();
        if (user is null)
        {
            // Also when an update overtakes its create: the event carries the whole state.
            store.Users.Add(new ReplicatedUser
            {
                Id = change.UserId,
                Name = change.Name,
                Email = change.Email,
                Version = change.Version,
                IsDeleted = deleted,
                ChangedAt = change.OccurredAt,
                ReplicatedAt = now,
            });
            metrics.Applied(change.GetType().Name, now - change.OccurredAt);
            return;
        }

        if (change.Version <= user.Version)
        {
            LogStale(logger, change.GetType().Name, change.UserId, change.Version, user.Version);
            return;
        }

        user.Name = change.Name;
        user.Email = change.Email;
        user.Version = change.Version;
        user.IsDeleted = deleted;
        user.ChangedAt = change.OccurredAt;
        user.ReplicatedAt = now;
        metrics.Applied(change.GetType().Name, now - change.OccurredAt);
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Ignored {EventType} of user {UserId} at version {Version}: the replica holds version {ReplicaVersion}")]
    private static partial void LogStale(ILogger logger, string eventType, Guid userId, long version, long replicaVersion);
}
