using System.Diagnostics;

namespace ConcertBooking.Testing;

/// <summary>
/// The Kafka dev broker (Tools/KafkaDevBroker: librdkafka's mock cluster with the system's topics) as a process of
/// a test or bench run: services as processes reach it like any Kafka cluster, and its brokers can be taken down and
/// brought up through its loopback control endpoint. It exits with the process that started it (its standard input
/// closes), so a crashed run leaves no broker behind.
/// </summary>
public sealed class KafkaDevBrokerProcess : IAsyncDisposable
{
    /// <summary>The file in the state directory holding the bootstrap servers ("127.0.0.1:port,…"), written once the topics exist.</summary>
    public const string BootstrapServersFile = "bootstrap-servers";

    /// <summary>The file in the state directory holding the control endpoint's base URL.</summary>
    public const string ControlUrlFile = "control-url";

    /// <summary>
    /// <c>Messaging:Kafka:FetchWaitMax</c> of the dev broker's clients: the mock cluster answers an empty fetch only when
    /// its wait is over, so librdkafka's 500 ms would be added to every delivery that finds a consumer idle.
    /// </summary>
    public const string ClientFetchWaitMax = "00:00:00.005";

    private const string Project = "Tools/KafkaDevBroker";
    private readonly Process _process;
    private readonly string _stateDirectory;
    private readonly HttpClient _control;

    private KafkaDevBrokerProcess(Process process, string stateDirectory, string bootstrapServers, Uri controlUrl)
    {
        _process = process;
        _stateDirectory = stateDirectory;
        BootstrapServers = bootstrapServers;
        _control = new HttpClient { BaseAddress = controlUrl, Timeout = TimeSpan.FromSeconds(30) };
    }

    public string BootstrapServers { get; }

    public Uri ControlUrl => _control.BaseAddress!;

    /// <summary>The broker's process id, for the bench's CPU figures.</summary>
    public int ProcessId => _process.Id;

    /// <summary>Starts a dev broker of its own and waits until its topics exist and it has written its address.</summary>
    public static async Task<KafkaDevBrokerProcess> StartAsync(ServiceProcessOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new ServiceProcessOptions();
        var stateDirectory = Directory.CreateTempSubdirectory("cb-kafka-dev-broker-").FullName;
        string? logPath = null;
        if (options.LogDirectory is { } logDirectory)
        {
            Directory.CreateDirectory(logDirectory);
            logPath = Path.Combine(logDirectory, $"KafkaDevBroker-{TestEnvironment.RunId}-{Path.GetFileName(stateDirectory)}.log");
        }

        var process = BuiltProgram.Start(Project, logPath, start =>
        {
            start.RedirectStandardInput = true; // kept open: closing it (or dying) stops the broker
            foreach (var argument in new[] { "--state-dir", stateDirectory, "--stop-on-stdin-close", "true" })
            {
                start.ArgumentList.Add(argument);
            }
        });

        try
        {
            var bootstrapFile = Path.Combine(stateDirectory, BootstrapServersFile);
            await Poll.UntilAsync(() =>
            {
                if (process.HasExited)
                {
                    throw new InvalidOperationException($"The Kafka dev broker exited at start with code {process.ExitCode}; log: {logPath ?? "discarded"}");
                }

                return Task.FromResult(File.Exists(bootstrapFile));
            }, written => written, "the Kafka dev broker to write its bootstrap address", options.StartTimeout, cancellationToken: cancellationToken);

            return new KafkaDevBrokerProcess(process, stateDirectory,
                (await File.ReadAllTextAsync(bootstrapFile, cancellationToken)).Trim(),
                new Uri((await File.ReadAllTextAsync(Path.Combine(stateDirectory, ControlUrlFile), cancellationToken)).Trim()));
        }
        catch
        {
            process.Kill(entireProcessTree: true);
            process.Dispose();
            throw;
        }
    }

    /// <summary>Every broker closes its connections and refuses new ones, as crashed brokers, until <see cref="BrokersUpAsync"/>.</summary>
    public Task BrokersDownAsync() => PostAsync("brokers/down");

    public Task BrokersUpAsync() => PostAsync("brokers/up");

    /// <summary>A topic besides the system's own, for services configured to route messages elsewhere.</summary>
    public Task CreateTopicAsync(string topic) => PostAsync($"topics/{Uri.EscapeDataString(topic)}");

    private async Task PostAsync(string path)
    {
        using var response = await _control.PostAsync(path, null);
        response.EnsureSuccessStatusCode();
    }

    public async ValueTask DisposeAsync()
    {
        _control.Dispose();
        try
        {
            _process.StandardInput.Close(); // asks it to stop, as a test process that ends does
            using var grace = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            await _process.WaitForExitAsync(grace.Token);
        }
        catch (Exception exception) when (exception is OperationCanceledException or IOException)
        {
            _process.Kill(entireProcessTree: true);
        }
        finally
        {
            _process.Dispose();
            if (Directory.Exists(_stateDirectory))
            {
                Directory.Delete(_stateDirectory, recursive: true);
            }
        }
    }
}
