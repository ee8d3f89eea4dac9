using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace ConcertBooking.Bench;

/// <summary>Starts a service from its Release build output, as `make up` does, on a port of its own.</summary>
internal sealed class ServiceLauncher(string repositoryRoot, string project, IReadOnlyDictionary<string, string> environment) : IAsyncDisposable
{
    private Process? _process;

    public int Port { get; } = FreePort();

    public Uri BaseAddress => new($"http://127.0.0.1:{Port}");

    public int ProcessId => _process?.Id ?? 0;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var dll = Path.Combine(repositoryRoot, project, "bin", "Release", "net10.0", $"{project}.dll");
        if (!File.Exists(dll))
        {
            throw new InvalidOperationException($"{dll} is not built: run `make build` first.");
        }

        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = Path.Combine(repositoryRoot, project),
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.ArgumentList.Add(dll);
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        start.Environment["ASPNETCORE_URLS"] = BaseAddress.ToString();
        start.Environment["Urls"] = BaseAddress.ToString();
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        _process = Process.Start(start)!;
        _process.OutputDataReceived += (_, _) => { };
        _process.ErrorDataReceived += (_, _) => { };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();

        using var client = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(5) };
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"{project} exited at start with code {_process.ExitCode}.");
            }

            try
            {
                if ((await client.GetAsync("/health/ready", cancellationToken)).IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }

            if (deadline.Elapsed > TimeSpan.FromSeconds(90))
            {
                throw new TimeoutException($"{project} was not ready within 90 s.");
            }

            await Task.Delay(200, cancellationToken);
        }
    }

    public ValueTask DisposeAsync()
    {
        if (_process is { HasExited: false })
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit();
        }

        _process?.Dispose();
        return ValueTask.CompletedTask;
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
