using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace ConcertBooking.Tests.Infrastructure;

/// <summary>
/// A service as a real operating-system process, started from its own build output as `make up` does, so a
/// test can kill it with SIGKILL mid-flight and start it again on the same database and queues.
/// </summary>
public sealed class ServiceProcess : IAsyncDisposable
{
    private readonly string _project;
    private readonly IReadOnlyDictionary<string, string> _environment;
    private readonly string _logPath;
    private Process? _process;

    public ServiceProcess(string project, IReadOnlyDictionary<string, string> environment)
    {
        _project = project;
        _environment = environment;
        Port = FreePort();
        BaseAddress = new Uri($"http://127.0.0.1:{Port}");
        _logPath = Path.Combine(TestContext.CurrentContext.WorkDirectory, "service-logs", $"{project}-{TestEnvironment.RunId}-{Port}.log");
        Directory.CreateDirectory(Path.GetDirectoryName(_logPath)!);
    }

    public int Port { get; }

    public Uri BaseAddress { get; }

    public HttpClient CreateClient() => new() { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(30) };

    public async Task StartAsync()
    {
        var root = RepositoryRoot();
        var configuration = new DirectoryInfo(Path.TrimEndingDirectorySeparator(AppContext.BaseDirectory)).Parent!.Name; // bin/<Configuration>/net10.0
        var dll = Path.Combine(root, _project, "bin", configuration, "net10.0", $"{_project}.dll");
        Assert.That(File.Exists(dll), Is.True, $"{dll} is not built");

        var start = new ProcessStartInfo("dotnet") { WorkingDirectory = Path.Combine(root, _project), RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(dll);
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Testing";
        start.Environment["ASPNETCORE_URLS"] = BaseAddress.ToString();
        start.Environment["Urls"] = BaseAddress.ToString(); // appsettings.json names the make-up port
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        foreach (var (key, value) in _environment)
        {
            start.Environment[key] = value;
        }

        _process = Process.Start(start)!;
        var log = new StreamWriter(_logPath, append: true) { AutoFlush = true };
        _process.OutputDataReceived += (_, line) => { if (line.Data is not null) lock (log) log.WriteLine(line.Data); };
        _process.ErrorDataReceived += (_, line) => { if (line.Data is not null) lock (log) log.WriteLine(line.Data); };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();

        using var client = CreateClient();
        await Eventually.Until(async () =>
        {
            Assert.That(_process.HasExited, Is.False, $"{_project} exited at start; log: {_logPath}");
            try
            {
                return (await client.GetAsync("/health/ready")).StatusCode == HttpStatusCode.OK;
            }
            catch (HttpRequestException)
            {
                return false;
            }
        }, $"{_project} (process {_process.Id}) to be ready", TimeSpan.FromSeconds(90));
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

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "ConcertBooking.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("ConcertBooking.sln not found above " + AppContext.BaseDirectory);
    }
}
