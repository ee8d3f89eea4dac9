using ConcertBooking.UserReplica.Consumers;

namespace ConcertBooking.Tests.Infrastructure;

/// <summary>What the fault tests assert of a <see cref="ProcessSystem"/> once the dust has settled.</summary>
public static class ProcessSystemAssertions
{
    /// <summary>Waits until every replica holds exactly <paramref name="expected"/> users with one inbox entry each.</summary>
    public static async Task AllReplicasConvergeAsync(this ProcessSystem system, int expected, TimeSpan timeout)
    {
        foreach (var replica in ProcessSystem.ReplicaNames)
        {
            await Eventually.Until(() => system.CountAsync(replica, $"""SELECT count(*) FROM {replica}."Users" """), n => n == expected,
                $"{expected} users in the {replica} replica", timeout);
        }

        foreach (var replica in ProcessSystem.ReplicaNames)
        {
            // Only the user events: TokenService's inbox also holds the concerts ConcertService announces.
            var entries = await system.CountAsync(replica,
                $"""SELECT count(*) FROM {replica}."InboxMessages" WHERE "Consumer" IN ('{nameof(ProjectUserCreated)}', '{nameof(ProjectUserUpdated)}', '{nameof(ProjectUserDeleted)}')""");
            Assert.That(entries, Is.EqualTo(expected), $"{replica}: one inbox entry per event, none applied twice");
        }
    }
}
