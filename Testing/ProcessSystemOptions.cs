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

    /// <summary>Begins the name of the system's RabbitMQ virtual host, to say whose it is.</summary>
    public string VirtualHostPrefix { get; init; } = "cb-test";
}
