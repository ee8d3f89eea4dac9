namespace ConcertBooking.AppHost;

/// <summary>Bound from <c>ConcertBooking:Local</c>: this machine's RabbitMQ and PostgreSQL, as scripts/infra.sh sets them up.</summary>
public sealed class LocalInfrastructureSettings
{
    /// <summary>The server without a database; each service's database name is added to it.</summary>
    public string Postgres { get; set; } =
        "Host=127.0.0.1;Port=5432;Username=concertbooking;Password=concertbooking;Maximum Pool Size=20;SSL Mode=Disable";

    public string RabbitMqHost { get; set; } = "127.0.0.1";

    public int RabbitMqPort { get; set; } = 5672;

    public string RabbitMqUsername { get; set; } = "concertbooking";

    public string RabbitMqPassword { get; set; } = "concertbooking";
}
