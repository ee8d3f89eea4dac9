namespace ConcertBooking.Tests;

/// <summary>
/// The names every <c>[Category(...)]</c> uses, spelled once. Each fixture has exactly one kind, and its kind is also
/// its folder and its namespace (Tests/Specs, <c>ConcertBooking.Tests.Specs</c>, <c>[Category(TestCategories.Specs)]</c>),
/// so <c>make test TEST_ARGS='--filter Category=Specs'</c> runs every fixture of that folder and nothing else.
/// A kind says what a test runs against, not what it is about.
/// </summary>
public static class TestCategories
{
    /// <summary>Code and files in the test process alone: no broker, no database, no service host.</summary>
    public const string Unit = "Unit";

    /// <summary>
    /// A service's consumers on MassTransit's test harness (in-memory transport) with the real inbox filter, outbox
    /// and a real PostgreSQL database of their own; no service host, no broker.
    /// </summary>
    public const string Specs = "Specs";

    /// <summary>
    /// The four services in-process (<c>WebApplicationFactory</c>) on the real RabbitMQ or Kafka (librdkafka's mock
    /// cluster) and PostgreSQL: HTTP contracts, replication, the booking flow, the relay and operations, with faults
    /// injected by a TCP proxy in front of one service's broker or database.
    /// </summary>
    public const string Integration = "Integration";

    /// <summary>
    /// The services as real operating-system processes on the real broker and database, as deployed: the broker
    /// stopped, a service killed with SIGKILL, a database cut away.
    /// </summary>
    public const string Faults = "Faults";

    /// <summary>The deployment files (docker-compose.yml, the Dockerfile) held against the services' configuration, without running them.</summary>
    public const string Deployment = "Deployment";

    /// <summary>Not a kind: marks the Kafka transport's own fixtures, on top of their kind.</summary>
    public const string Kafka = "Kafka";

    /// <summary>The kinds; every fixture has exactly one of them.</summary>
    public static readonly IReadOnlyList<string> Kinds = [Unit, Specs, Integration, Faults, Deployment];

    /// <summary>Every category a fixture may carry.</summary>
    public static readonly IReadOnlyList<string> All = [.. Kinds, Kafka];
}
