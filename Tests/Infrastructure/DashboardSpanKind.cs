namespace ConcertBooking.Tests.Infrastructure;

/// <summary>OTLP's span kinds, numbered as the dashboard's telemetry API writes them.</summary>
public enum DashboardSpanKind
{
    Unspecified = 0,
    Internal = 1,
    Server = 2,
    Client = 3,
    Producer = 4,
    Consumer = 5,
}
