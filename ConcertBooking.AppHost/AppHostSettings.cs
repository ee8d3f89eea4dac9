using Microsoft.Extensions.Configuration;

namespace ConcertBooking.AppHost;

/// <summary>
/// Bound from <c>ConcertBooking</c> in the AppHost's configuration: appsettings.json, environment variables
/// (<c>ConcertBooking__Infrastructure=Local</c>) or the command line (<c>--ConcertBooking:Infrastructure=Local</c>).
/// </summary>
public sealed class AppHostSettings
{
    public const string SectionName = "ConcertBooking";

    public InfrastructureMode Infrastructure { get; set; } = InfrastructureMode.Auto;

    public ServiceTransport Transport { get; set; } = ServiceTransport.RabbitMq;

    /// <summary>
    /// Each service's database is <c>{DatabasePrefix}_{service}</c>. The default shares make up's databases (the two
    /// never run at once: same ports); a test gives a prefix of its own and drops its databases afterwards.
    /// </summary>
    public string DatabasePrefix { get; set; } = "concertbooking";

    /// <summary>The RabbitMQ virtual host; it must exist (scripts/infra.sh makes the user an administrator of "/").</summary>
    public string RabbitMqVirtualHost { get; set; } = "/";

    /// <summary>
    /// The services on make up's ports, 5101–5104. A test turns this off and Aspire picks free ports, so the system
    /// under test and one started by make up or dotnet run can run side by side.
    /// </summary>
    public bool FixedPorts { get; set; } = true;

    public LocalInfrastructureSettings Local { get; set; } = new();

    public KafkaSettings Kafka { get; set; } = new();

    public static AppHostSettings From(IConfiguration configuration) =>
        configuration.GetSection(SectionName).Get<AppHostSettings>() ?? new AppHostSettings();
}
