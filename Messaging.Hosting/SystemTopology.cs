using ConcertBooking.Contracts;
using ConcertBooking.Messaging.Kafka;
using Microsoft.Extensions.Options;

namespace ConcertBooking.Messaging.Hosting;

/// <summary>
/// What this system's messages travel on, beyond what each transport derives by itself. Declared here, where the
/// system is composed, so that neither the messaging core nor the contracts name a broker.
/// </summary>
public static class SystemTopology
{
    /// <summary>
    /// On Kafka, the user events of one user share one topic keyed by the user id: strict per-user order (a
    /// <see cref="UserUpdated"/> never overtakes its <see cref="UserCreated"/>), and, compacted, the latest state of
    /// every user for a service that joins later to replay in a consumer group of its own.
    /// </summary>
    public const string UserStream = "user.events";

    public static readonly IReadOnlyList<KafkaTopicRoute> KafkaRoutes =
        [KafkaTopicRoute.ForAll<IUserEvent>(UserStream, KafkaCleanupPolicy.Compact)];

    /// <summary>Every message the services exchange: the concrete types of the contracts assembly.</summary>
    public static readonly IReadOnlyList<Type> Messages =
        [.. typeof(IUserEvent).Assembly.GetExportedTypes().Where(t => t is { IsClass: true, IsAbstract: false })];

    /// <summary>The topic names and creation settings the services use, for <paramref name="options"/> (a topic prefix, partitions).</summary>
    public static KafkaTopics KafkaTopics(KafkaOptions options) => new(Options.Create(options), KafkaRoutes);
}
