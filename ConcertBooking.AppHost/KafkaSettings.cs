namespace ConcertBooking.AppHost;

/// <summary>Bound from <c>ConcertBooking:Kafka</c>; read only when <c>ConcertBooking:Transport</c> is <c>Kafka</c>.</summary>
public sealed class KafkaSettings
{
    /// <summary>The cluster's bootstrap list, e.g. <c>127.0.0.1:9092</c>; wins over <see cref="BootstrapServersFile"/>.</summary>
    public string? BootstrapServers { get; set; }

    /// <summary>
    /// A file holding the bootstrap list, relative to the repository root: a development broker started on random
    /// ports writes its list there. Read when a service starts, so the broker may start after the AppHost.
    /// </summary>
    public string BootstrapServersFile { get; set; } = ".run/kafka/bootstrap-servers";

    /// <summary>
    /// The services' <c>Messaging:Kafka:FetchWaitMax</c>. The development broker (librdkafka's mock cluster) answers an
    /// empty fetch only when the wait is over, so the default is short; clear it for a real cluster.
    /// </summary>
    public TimeSpan? FetchWaitMax { get; set; } = TimeSpan.FromMilliseconds(5);
}
