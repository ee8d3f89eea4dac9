using System.Net.Http.Json;
using ConcertBooking.Messaging.Hosting;
using ConcertBooking.Tests.Infrastructure;
using ConcertBooking.UserReplica;
using ConcertBooking.UserService.Users;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ConcertBooking.Tests.Integration;

/// <summary>
/// The user stream on Kafka: every user event on one topic keyed by the user id, which a service that joins later
/// replays in a consumer group of its own to the same replica as the services that were there from the start, with no
/// republish by UserService. On a real cluster the topic is compacted (the services create it so; a unit test holds
/// the specification), so the replay reads each user's latest events; the mock cluster keeps every record instead.
/// </summary>
[TestFixture]
[Category(TestCategories.Integration)]
[Category(TestCategories.Kafka)]
public sealed class KafkaUserStreamTests
{
    private static readonly TimeSpan ConvergeTimeout = TimeSpan.FromMinutes(3);

    [Test]
    public async Task A_fourth_consumer_group_started_after_1000_users_and_300_updates_converges_to_the_same_replica()
    {
        await using var system = await ConcertBookingSystem.StartAsync(new SystemOptions { Transport = TestTransport.Kafka });
        using var client = system.Users.CreateClient();
        var users = await InParallelAsync(Enumerable.Range(0, 1000), i => client.SignUpAndInAsync($"Stream {i}"));
        // 300 updates: 200 users renamed, the first 100 of them twice, so a user's last event is not always its first update.
        var renames = Enumerable.Range(0, 200).Select(i => (users[i], $"Renamed {i}"))
            .Concat(Enumerable.Range(0, 100).Select(i => (users[i], $"Renamed again {i}")))
            .GroupBy(r => r.Item1.Id);
        await InParallelAsync(renames, async renamesOfOne =>
        {
            foreach (var (user, name) in renamesOfOne)
            {
                (await client.SendAsAsync(user, HttpMethod.Patch, $"/users/{user.Id}", new { name })).EnsureSuccessStatusCode();
            }

            return true;
        });
        var expected = await ReplicaAsync(system.Users.Services, fromUserService: true);
        foreach (var (name, services) in system.Replicas)
        {
            await Eventually.Until(() => ReplicaAsync(services), replica => replica.SequenceEqual(expected),
                $"the {name} replica to hold the 1000 users at their latest version", ConvergeTimeout);
        }

        TestContext.Out.WriteLine($"1000 users and 300 updates replicated; {expected.Count(u => u.Version > 1)} users updated, "
            + $"{expected.Count(u => u.Version == 3)} twice");

        // The fourth group: a service that was not there, with a database and a consumer group of its own.
        await using var late = system.Concert.AnotherInstance(
        [
            new("ConnectionStrings:Database", PostgresDatabases.ConnectionString(PostgresDatabases.NewName("late"))),
            new("Messaging:Kafka:GroupId", system.Kafka!.TopicPrefix + "late-joiner"),
            new("Messaging:Outbox:RelayEnabled", "false"),
        ]);
        var replayed = await Eventually.Until(() => ReplicaAsync(late.Services), replica => replica.SequenceEqual(expected),
            "the late consumer group to replay the user stream to UserService's users at their latest versions", ConvergeTimeout);

        Assert.Multiple(async () =>
        {
            foreach (var (name, services) in system.Replicas)
            {
                Assert.That(await ReplicaAsync(services), Is.EqualTo(replayed), $"the same replica as {name}'s");
            }

            Assert.That(system.Kafka.ReadTopic(system.Kafka.Topic(SystemTopology.UserStream), records => records.Count >= 1300, TimeSpan.FromSeconds(30))
                .All(r => Guid.TryParse(r.Message.Key, out var id) && expected.Any(u => u.Id == id)), Is.True,
                "every record of the stream is keyed by its user's id");
        });
    }

    /// <summary>A replica's users (or UserService's own), comparable: id, name, email, version and whether deleted, by id.</summary>
    private static async Task<List<ReplicaRow>> ReplicaAsync(IServiceProvider services, bool fromUserService = false)
    {
        await using var scope = services.CreateAsyncScope();
        if (fromUserService)
        {
            var users = scope.ServiceProvider.GetRequiredService<UserService.Data.UserDbContext>().Users.AsNoTracking();
            return await users.OrderBy(u => u.Id).Select(u => new ReplicaRow(u.Id, u.Name, u.Email, u.Version, false)).ToListAsync();
        }

        var replica = scope.ServiceProvider.GetRequiredService<IUserReplicaStore>().Users.AsNoTracking();
        return await replica.OrderBy(u => u.Id).Select(u => new ReplicaRow(u.Id, u.Name, u.Email, u.Version, u.IsDeleted)).ToListAsync();
    }

    private static async Task<List<T>> InParallelAsync<TItem, T>(IEnumerable<TItem> items, Func<TItem, Task<T>> action)
    {
        using var slots = new SemaphoreSlim(8);
        return [.. await Task.WhenAll(items.Select(async item =>
        {
            await slots.WaitAsync();
            try
            {
                return await action(item);
            }
            finally
            {
                slots.Release();
            }
        }))];
    }

    private sealed record ReplicaRow(Guid Id, string? Name, string? Email, long Version, bool IsDeleted);
}
