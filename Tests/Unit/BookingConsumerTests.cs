using ConcertBooking.Contracts;
using ConcertBooking.Messaging.Inbox;
using ConcertBooking.UserReplica.Consumers;
using MassTransit;

namespace ConcertBooking.Tests.Unit;

/// <summary>
/// Which consumers retry transient failures without a limit: every consumer of a booking event (money or seats at
/// stake), and none of the user-replica consumers, whose lost message a republish repairs and whose poison message
/// must not block a queue for ever.
/// </summary>
[TestFixture]
[Category(TestCategories.Unit)]
public sealed class BookingConsumerTests
{
    private static readonly Type[] ServiceAssemblies =
    [
        typeof(ConcertService.ConcertRegistration), typeof(PaymentService.PaymentRegistration), typeof(TokenService.Queue.QueueTokenResponse),
    ];

    public static IEnumerable<Type> BookingConsumers() => Consumers(ServiceAssemblies.Select(t => t.Assembly))
        .Where(c => MessagesOf(c).Any(m => !typeof(IUserEvent).IsAssignableFrom(m)));

    public static IEnumerable<Type> ReplicaConsumers() => Consumers([typeof(ProjectUserCreated).Assembly]);

    [TestCaseSource(nameof(BookingConsumers))]
    public void A_consumer_of_booking_events_retries_transient_failures_without_a_limit(Type consumer) =>
        Assert.That(Attribute.IsDefined(consumer, typeof(UnboundedTransientRetryAttribute)), Is.True,
            $"{consumer.Name} handles {string.Join(", ", MessagesOf(consumer).Select(m => m.Name))}: mark it [UnboundedTransientRetry]");

    [TestCaseSource(nameof(ReplicaConsumers))]
    public void A_user_replica_consumer_keeps_the_bounded_transient_retry(Type consumer) =>
        Assert.That(Attribute.IsDefined(consumer, typeof(UnboundedTransientRetryAttribute)), Is.False);

    [Test]
    public void There_are_booking_consumers_to_check() => Assert.That(BookingConsumers().Count(), Is.GreaterThanOrEqualTo(5));

    private static IEnumerable<Type> Consumers(IEnumerable<System.Reflection.Assembly> assemblies) =>
        assemblies.SelectMany(a => a.GetTypes()).Where(t => t is { IsClass: true, IsAbstract: false } && MessagesOf(t).Any());

    private static IEnumerable<Type> MessagesOf(Type consumer) => consumer.GetInterfaces()
        .Where(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IConsumer<>))
        .Select(i => i.GetGenericArguments()[0]);
}
