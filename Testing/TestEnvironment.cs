namespace ConcertBooking.Testing;

/// <summary>Where the real broker and database of a test run are; `make test` exports these, the defaults match it.</summary>
public static class TestEnvironment
{
    /// <summary>Distinguishes this run's databases and virtual hosts from any other run's leftovers.</summary>
    public static readonly string RunId = $"{DateTime.UtcNow:MMddHHmmss}{Random.Shared.Next(100, 999)}";

    public static string PostgresServer { get; } =
        Get("CB_TEST_POSTGRES", "Host=127.0.0.1;Port=5432;Username=concertbooking;Password=concertbooking;SSL Mode=Disable");

    public static string RabbitMqHost { get; } = Get("CB_TEST_RABBITMQ_HOST", "127.0.0.1");

    public static ushort RabbitMqPort { get; } = ushort.Parse(Get("CB_TEST_RABBITMQ_PORT", "5672"));

    public static string RabbitMqUser { get; } = Get("CB_TEST_RABBITMQ_USER", "concertbooking");

    public static string RabbitMqPassword { get; } = Get("CB_TEST_RABBITMQ_PASS", "concertbooking");

    public static Uri RabbitMqManagement { get; } = new(Get("CB_TEST_RABBITMQ_MANAGEMENT", "http://127.0.0.1:15672"));

    /// <summary>Set to run the integration suite on SQL Server as well; where unset those tests are ignored.</summary>
    public static string? SqlServer { get; } = Environment.GetEnvironmentVariable("CB_TEST_SQLSERVER");

    /// <summary>A real Kafka cluster for the Kafka tests; where unset they run on librdkafka's mock cluster.</summary>
    public static string? KafkaBootstrapServers { get; } =
        Environment.GetEnvironmentVariable("KAFKA_BOOTSTRAP_SERVERS") is { Length: > 0 } servers ? servers : null;

    private static string Get(string name, string fallback) =>
        Environment.GetEnvironmentVariable(name) is { Length: > 0 } value ? value : fallback;
}
