namespace ConcertBooking.Testing;

/// <summary>How a <see cref="ProcessSystem"/> runs its processes.</summary>
public sealed record ProcessSystemOptions
{
    /// <summary>
    /// Settings every service gets before its own (as environment variables). By default the relay's back-off is
    /// capped at 2 s, so a test that takes the broker away sees the relay recover in seconds, not a minute.
    /// </summary>
    public IReadOnlyDictionary<string, string> CommonSettings { get; init; } = new Dictionary<string, string>
    {
        ["Messaging__Outbox__RetryMaxDelay"] = "00:00:02",
    };

    public ServiceProcessOptions Processes { get; init; } = new();

    /// <summary>The broker the services run on: the local RabbitMQ, or Kafka in a dev broker process of the system's own.</summary>
    public TestTransport Transport { get; init; } = TestTransport.RabbitMq;

    /// <summary>
    /// On RabbitMQ, every service's AMQP connection goes through a <see cref="TcpProxy"/> of the system's own, so that
    /// <see cref="ProcessSystem.BrokerDownAsync"/> takes the broker away from these services only, never from anyone
    /// else using the machine's broker. Kafka needs no proxy: the dev broker is the system's own.
    /// </summary>
    public bool BrokerBehindProxy { get; init; }

    /// <summary>
    /// Settings every service gets on Kafka, before <see cref="CommonSettings"/>: by default the short timings of
    /// <see cref="KafkaTestSettings"/> (a killed consumer's partitions move in seconds); empty to run as deployed.
    /// </summary>
    public IReadOnlyList<KeyValuePair<string, string>> KafkaSettings { get; init; } = KafkaTestSettings.Timings();

    /// <summary>
    /// Settings every service gets before <see cref="CommonSettings"/>: by default <see cref="RaisedRateLimits"/>, since
    /// every request comes from one address; empty to run with the deployed limits.
    /// </summary>
    public IReadOnlyList<KeyValuePair<string, string>> RateLimitSettings { get; init; } = RaisedRateLimits.Settings();

    /// <summary>Begins the name of the system's RabbitMQ virtual host, to say whose it is.</summary>
    public string VirtualHostPrefix { get; init; } = "cb-test";
}
