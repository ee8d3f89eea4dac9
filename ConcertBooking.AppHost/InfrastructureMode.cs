namespace ConcertBooking.AppHost;

/// <summary>Where RabbitMQ and PostgreSQL come from.</summary>
public enum InfrastructureMode
{
    /// <summary>Containers when a container engine answers, otherwise this machine's own RabbitMQ and PostgreSQL.</summary>
    Auto,

    /// <summary>The RabbitMQ and PostgreSQL that <c>make infra</c> installs and starts on this machine.</summary>
    Local,

    /// <summary>RabbitMQ and PostgreSQL as containers, run by Aspire through Docker (or Podman).</summary>
    Containers,
}
