using System.ComponentModel.DataAnnotations;

namespace ConcertBooking.Messaging.Kafka;

/// <summary>Bound from <c>Messaging:Kafka</c>; used when <c>Messaging:Transport</c> is <c>Kafka</c>.</summary>
public sealed class KafkaOptions
{
    public const string SectionName = "Messaging:Kafka";

    [Required]
    public string BootstrapServers { get; set; } = "127.0.0.1:9092";

    /// <summary>Prepended to every topic name: lets several systems (test runs, environments) share one cluster.</summary>
    public string TopicPrefix { get; set; } = "";

    /// <summary>
    /// Topic per message type name, overriding the system's route for the type (the user events' <c>user.events</c>)
    /// or else the derived default (<c>ReservationCreated</c> → <c>reservation.created</c>). Keyed by the type's
    /// short name, e.g. <c>Messaging:Kafka:Topics:UserCreated=user.created</c>.
    /// </summary>
    public Dictionary<string, string> Topics { get; set; } = [];

    /// <summary>Suffix of a topic's dead-letter topic: <c>user.events</c> → <c>user.events.dlt</c>.</summary>
    public string DeadLetterSuffix { get; set; } = ".dlt";

    /// <summary>Whether to create missing topics at start. Where the broker refuses, the service logs it and goes on.</summary>
    public bool CreateTopics { get; set; } = true;

    /// <summary>Partitions of a topic this service creates: the upper bound of consumers that share the work.</summary>
    [Range(1, 10_000)]
    public int Partitions { get; set; } = 6;

    [Range(1, 32)]
    public short ReplicationFactor { get; set; } = 1;

    /// <summary>The consumer group; defaults to <c>Messaging:ServiceName</c>, so each service sees every event once.</summary>
    public string? GroupId { get; set; }

    /// <summary>How this process names itself to the brokers; defaults to <c>&lt;Messaging:ServiceName&gt;-&lt;host&gt;</c>.</summary>
    public string? ClientId { get; set; }

    /// <summary>
    /// Static group membership (<c>group.instance.id</c>): an instance restarted under the same id takes its partitions
    /// back at once, instead of waiting out <see cref="SessionTimeout"/> for the group to drop its old self. The price: a
    /// static member leaves no group when it stops, so the partitions of an instance that does not come back wait for
    /// the session timeout before another takes them.
    /// </summary>
    public bool StaticMembership { get; set; } = true;

    /// <summary>
    /// This instance's <c>group.instance.id</c>: stable across its restarts and unique in its group (two members with one
    /// id fence each other). Defaults to <c>&lt;Messaging:ServiceName&gt;-&lt;host name&gt;</c>; set it where several
    /// instances share a host, or where the host name changes on every deploy.
    /// </summary>
    public string? GroupInstanceId { get; set; }

    /// <summary>Partitions handled at once; within a partition one record or one batch at a time, in offset order.</summary>
    [Range(1, 1000)]
    public int ConcurrencyLimit { get; set; } = 16;

    /// <summary>Fetched records waiting in one partition before it is paused (back pressure).</summary>
    [Range(1, 100_000)]
    public int MaxBufferedPerPartition { get; set; } = 500;

    /// <summary>
    /// Longest a fetch waits at the broker for records to arrive (librdkafka <c>fetch.wait.max.ms</c>); unset keeps
    /// librdkafka's 500 ms. A Kafka broker answers a waiting fetch as soon as a record arrives, so there this only paces
    /// empty fetches. librdkafka's mock cluster (the dev broker) answers an empty fetch only when the wait is over, so
    /// on it this wait is added to every delivery that finds the consumer idle: its clients set a few milliseconds,
    /// paying with that many empty fetches a second while idle.
    /// </summary>
    public TimeSpan? FetchWaitMax { get; set; }

    /// <summary>How often offsets of handled records are committed (also on revoke and on shutdown).</summary>
    public TimeSpan CommitInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>A consumer silent this long is dropped from the group and its partitions reassigned.</summary>
    public TimeSpan SessionTimeout { get; set; } = TimeSpan.FromSeconds(45);

    public TimeSpan HeartbeatInterval { get; set; } = TimeSpan.FromSeconds(3);

    /// <summary>On revoke or shutdown, how long the record in flight may finish before it is cancelled (and redelivered).</summary>
    public TimeSpan StopGracePeriod { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// How long the producer keeps trying to deliver one record (librdkafka <c>message.timeout.ms</c>), and so how long
    /// the relay waits for a record's delivery report: at least a second shorter than the relay's
    /// <c>Outbox:PublishTimeout</c> (checked at start, <see cref="KafkaDeliveryTimeoutValidation"/>).
    /// </summary>
    public TimeSpan MessageTimeout { get; set; } = TimeSpan.FromSeconds(8);

    /// <summary>Timeout of topic metadata and creation requests at start.</summary>
    public TimeSpan AdminTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// First delay before writing a dead letter again; it doubles after each failure up to <see cref="DeadLetterRetryMaxDelay"/>.
    /// The partition waits meanwhile, since skipping the record would lose it; /health and a metric show it.
    /// </summary>
    public TimeSpan DeadLetterRetryDelay { get; set; } = TimeSpan.FromSeconds(1);

    public TimeSpan DeadLetterRetryMaxDelay { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Any librdkafka setting for producer, consumer and admin client (security.protocol, sasl.*, ...).</summary>
    public Dictionary<string, string> Client { get; set; } = [];
}
