using ConcertBooking.Contracts;
using ConcertBooking.TokenService.Data;

namespace ConcertBooking.TokenService.Concerts;

/// <summary>
/// Applies a concert event to the replica only when it is newer than what the replica holds, as the user replica
/// does: duplicates, announcements at the same version and replays change nothing. Changes are staged; the inbox
/// commits them.
/// </summary>
public sealed partial class ProjectConcert(TokenDbContext db, TimeProvider time, ILogger<ProjectConcert> logger)
{
    public async Task ApplyAsync(ConcertScheduled change, CancellationToken cancellationToken)
    {
        var concert = await db.Concerts.FindAsync([change.ConcertId], cancellationToken);
        if (concert is null)
        {
            concert = new ReplicatedConcert { Id = change.ConcertId };
            db.Concerts.Add(concert);
        }
        else if (change.Version <= concert.Version)
        {
            LogStale(logger, change.ConcertId, change.Version, concert.Version);
            return;
        }

        concert.StartsAt = change.StartsAt;
        concert.Version = change.Version;
        concert.ChangedAt = change.OccurredAt;
        concert.ReplicatedAt = time.GetUtcNow();
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Ignored concert {ConcertId} at version {Version}: the replica holds version {ReplicaVersion}")]
    private static partial void LogStale(ILogger logger, Guid concertId, long version, long replicaVersion);
}
