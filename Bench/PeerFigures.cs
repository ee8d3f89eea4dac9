using System.Text.Json;

namespace ConcertBooking.Bench;

/// <summary>One open-loop rate of the peer's run: what it achieved and its lag to each replica (ms).</summary>
internal sealed record PeerRate(double OfferedPerSecond, double AchievedPerSecond, int Errors, Dictionary<string, Percentiles> LagMs, Dictionary<string, double> CpuPercentOfCore);

/// <summary>
/// The Wolverine peer's figures (../shared/peers/wolverine, run by scripts/bench-peer.sh), read from the JSON its
/// PeerBench writes: lag percentiles per rate, CPU per process (% of one core, during the load), closed-loop maximum.
/// </summary>
internal sealed record PeerFigures(string Label, string StartedUtc, string Source, List<PeerRate> Rates, double? ClosedLoopMaxPerSecond, Dictionary<string, double>? MaxCpuPercentOfCore)
{
    /// <summary>The processes of the peer's system (its comm names in /proc): not the load generator, not the rest of the machine.</summary>
    private static readonly string[] SystemProcesses = ["PeerUserService", "PeerReplica", "postgres", "rabbitmq"];

    public static PeerFigures Read(string path)
    {
        using var json = JsonDocument.Parse(File.ReadAllText(path));
        var root = json.RootElement;
        var rates = new List<PeerRate>();
        double? max = null;
        Dictionary<string, double>? maxCpu = null;
        foreach (var run in root.GetProperty("runs").EnumerateArray())
        {
            var cpu = run.GetProperty("CpuPercent").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetDouble());
            if (run.GetProperty("Mode").GetString() == "closed")
            {
                max = run.GetProperty("AchievedRate").GetDouble();
                maxCpu = cpu;
                continue;
            }

            var lags = run.GetProperty("Replicas").EnumerateObject().ToDictionary(r => r.Name, r =>
            {
                var lag = r.Value.GetProperty("LagMs");
                return new Percentiles(lag.GetProperty("N").GetInt64(), lag.GetProperty("P50").GetDouble(), lag.GetProperty("P95").GetDouble(),
                    lag.GetProperty("P99").GetDouble(), lag.GetProperty("Max").GetDouble());
            });
            rates.Add(new PeerRate(run.GetProperty("OfferedRate").GetDouble(), run.GetProperty("AchievedRate").GetDouble(),
                run.GetProperty("Errors").GetInt32(), lags, cpu));
        }

        return new PeerFigures(root.GetProperty("peer").GetString() ?? "peer", root.GetProperty("started_utc").GetString() ?? "",
            Path.GetFileName(path), rates, max, maxCpu);
    }

    public PeerRate? At(int perSecond) => Rates.FirstOrDefault(r => Math.Abs(r.OfferedPerSecond - perSecond) < 0.5);

    /// <summary>CPU of the peer's system per signup at a rate (ms): its processes' % of a core while the load ran, over the signups per second achieved.</summary>
    public double? CpuMsPerSignup(int perSecond) => At(perSecond) is { AchievedPerSecond: > 0 } rate
        ? Math.Round(rate.CpuPercentOfCore.Where(p => SystemProcesses.Contains(p.Key)).Sum(p => p.Value) * 10 / rate.AchievedPerSecond, 2)
        : null;
}
