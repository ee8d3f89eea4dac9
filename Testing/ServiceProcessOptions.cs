namespace ConcertBooking.Testing;

/// <summary>How a <see cref="ServiceProcess"/> runs.</summary>
public sealed record ServiceProcessOptions
{
    /// <summary>
    /// Where each process's standard output and error are written, one file per process; null discards them. By
    /// default service-logs beside the running program (for a test run, NUnit's work directory).
    /// </summary>
    public string? LogDirectory { get; init; } = Path.Combine(AppContext.BaseDirectory, "service-logs");

    /// <summary>ASPNETCORE_ENVIRONMENT of the process.</summary>
    public string EnvironmentName { get; init; } = "Testing";

    /// <summary>How long a start may take until the service answers ready.</summary>
    public TimeSpan StartTimeout { get; init; } = TimeSpan.FromSeconds(90);
}
