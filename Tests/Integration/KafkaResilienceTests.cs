using ConcertBooking.ConcertService.Data;
using ConcertBooking.Contracts;
using ConcertBooking.Messaging.Kafka;
using ConcertBooking.Tests.Infrastructure;
using Confluent.Kafka;
using MassTransit;
using MassTransit.Mediator;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ConcertBooking.Tests.Integration;

/// <summary>
/// The Kafka transport where a long-running deployment differs from a quiet test: a rebalance while partitions are
/// paused for back pressure, a producer that failed fatally.
/// </summary>
[TestFixture]
[Category("Integration")]
[Category("Kafka")]
public sealed class KafkaResilienceTests
{
    [Test]
    public async Task A_partition_paused_for_back_pressure_keeps_flowing_after_a_second_instance_joins()
    {
        const int users = 240;
        await using var system = await ConcertBookingSystem.StartAsync(new SystemOptions
        {
            Transport = TestTransport.Kafka,
            // Two buffered records pause a partition, so every partition with a backlog is paused when the group rebalances.
            Settings = service => service == "concert" ? [new("Messaging:Kafka:MaxBufferedPerPartition", "2")] : [],
        });
        var slow = new SlowUserCreated(TimeSpan.FromMilliseconds(200));
        using var observer = system.Concert.Services.GetRequiredService<IMediator>().ConnectConsumeMessageObserver(slow);
        await system.Users.AddUserCreatedAsync(users, "Paused");
        await Eventually.Until(() => Task.FromResult(slow.Seen), seen => seen >= 8, "the first instance to work through its backlog");

        await using var second = system.Concert.AnotherInstance(
            [new("Messaging:Outbox:RelayEnabled", "false"), new("Messaging:Kafka:GroupInstanceId", "concert-second-instance")]);
        _ = second.Services;
        TestContext.Out.WriteLine($"Second instance joined after the first handled {slow.Seen} records");

        await Eventually.Until(() => ReplicaCountAsync(system.Concert.Services), count => count == users,
            $"all {users} users in ConcertService's replica (no partition left paused)", TimeSpan.FromSeconds(120));
    }

    [Test]
    public async Task A_producer_that_failed_fatally_is_replaced_and_the_pending_rows_go_out_on_the_new_one()
    {
        await using var system = await ConcertBookingSystem.StartAsync(new SystemOptions { Transport = TestTransport.Kafka });
        using var users = system.Users.CreateClient();
        var before = await users.SignUpAsync("Before the fatal error");
        await system.AllReplicasReachAsync(before.Id, version: 1);

        var producer = system.Users.Services.GetRequiredService<KafkaProducerHost>();
        KafkaClientFaults.RaiseFatalError(producer.Producer.Handle, ErrorCode.OutOfOrderSequenceNumber, "injected by the test");
        TestContext.Out.WriteLine("Injected: UserService's producer failed fatally");
        var after = await users.SignUpAsync("After the fatal error");

        await system.AllReplicasReachAsync(after.Id, version: 1, TimeSpan.FromSeconds(60));
    }

    private static async Task<int> ReplicaCountAsync(IServiceProvider services)
    {
        await using var scope = services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<ConcertDbContext>().Users.CountAsync();
    }

    /// <summary>Makes each UserCreated take a while in the instance it is connected to, so that its partitions build a backlog.</summary>
    private sealed class SlowUserCreated(TimeSpan delay) : IConsumeMessageObserver<UserCreated>
    {
        private int _seen;

        public int Seen => Volatile.Read(ref _seen);

        public async Task PreConsume(ConsumeContext<UserCreated> context)
        {
            Interlocked.Increment(ref _seen);
            await Task.Delay(delay);
        }

        public Task PostConsume(ConsumeContext<UserCreated> context) => Task.CompletedTask;

        public Task ConsumeFault(ConsumeContext<UserCreated> context, Exception exception) => Task.CompletedTask;
    }
}
