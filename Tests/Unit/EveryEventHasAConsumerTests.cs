using ConcertBooking.Contracts;
using MassTransit;

namespace ConcertBooking.Tests.Unit;

/// <summary>
/// The relay publishes mandatory on RabbitMQ: an event type that no service consumes is never routable, so it would
/// be retried and then parked in the outbox. Every contract needs a consumer somewhere.
/// </summary>
[TestFixture]
[Category(TestCategories.Unit)]
public sealed class EveryEventHasAConsumerTests
{
    [Test]
    public void Every_event_contract_is_consumed_by_some_service()
    {
        var services = new[]
        {
            typeof(UserService.Data.UserDbContext).Assembly,
            typeof(ConcertService.Data.ConcertDbContext).Assembly,
            typeof(PaymentService.Data.PaymentDbContext).Assembly,
            typeof(TokenService.Data.TokenDbContext).Assembly,
            typeof(UserReplica.ReplicatedUser).Assembly,
        };
        var consumed = services.SelectMany(a => a.GetTypes())
            .SelectMany(t => t.GetInterfaces())
            .Where(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IConsumer<>))
            .Select(i => i.GetGenericArguments()[0])
            .ToHashSet();
        var contracts = typeof(UserCreated).Assembly.GetExportedTypes().Where(t => t is { IsClass: true, IsAbstract: false });

        Assert.That(contracts.Where(c => !consumed.Contains(c)).Select(c => c.Name), Is.Empty, "events nobody consumes");
    }
}
