using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace ConcertBooking.Testing;

/// <summary>
/// A service as a real operating-system process, started from its own build output as `make up` does, so a
/// caller can kill it with SIGKILL mid-flight and start it again on the same database and queues. No test framework
/// in here: failures are plain exceptions, and the log directory is the caller's to choose.
/// </summary>
public sealed class ServiceProcess : IAsyncDisposable
{
    private readonly string _project;
    private readonly IReadOnlyDictionary<string, string> _environment;
    private readonly ServiceProcessOptions _options;
    private readonly string? _logPath;
    private Process? _process;

    public ServiceProcess(string project, IReadOnlyDictionary<string, string> environment, ServiceProcessOptions? options = null)
    {
        _project = project;
        _environment = environment;
        _options = options ?? new ServiceProcessOptions();
        Port = FreePort();
        BaseAddress = new Uri($"http://127.0.0.1:{Port}");
        if (_options.LogDirectory is { } logDirectory)
        {
            _logPath = Path.Combine(logDirectory, $"{project}-{TestEnvironment.RunId}-{Port}.log");
            Directory.CreateDirectory(logDirectory);
        }
    }

    public int Port { get; }

    public Uri BaseAddress { get; }

    /// <summary>The operating-system process id while it runs (0 before the first start).</summary>
    public int ProcessId => _process?.Id ?? 0;

    public HttpClient CreateClient() => new() { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(30) };

    /// <summary>Starts the process and waits until it answers ready; throws if it exits first or is not ready in time.</summary>
    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        _process = BuiltProgram.Start(_project, _logPath, start =>
        {
            start.Environment["ASPNETCORE_ENVIRONMENT"] = _options.EnvironmentName;
            start.Environment["ASPNETCORE_URLS"] = BaseAddress.ToString();
            start.Environment["Urls"] = BaseAddress.ToString(); // appsettings.json names the make-up port
            start.Environment["Logging__LogLevel__Default"] = "Warning";
            foreach (var (key, value) in _environment)
            {
                start.Environment[key] = value;
            }
        });

        using var client = CreateClient();
        await Poll.UntilAsync(async () =>
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"{_project} exited at start with code {_process.ExitCode}; log: {_logPath ?? "discarded"}");
            }

            try
            {
                return (await client.GetAsync("/health/ready", cancellationToken)).StatusCode == HttpStatusCode.OK;
            }
            catch (HttpRequestException)
            {
                return false;
            }
        }, ready => ready, $"{_project} (process {_process.Id}) to be ready", _options.StartTimeout, cancellationToken: cancellationToken);
    }

    /// <summary>SIGKILL: no graceful shutdown, no chance to finish or acknowledge anything.</summary>
    public void Kill()
    {
        if (_process is { HasExited: false })
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit();
        }
    }

    public async ValueTask DisposeAsync()
    {
        Kill();
        _process?.Dispose();
        await Task.CompletedTask;
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
