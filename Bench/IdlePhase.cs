using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;

namespace ConcertBooking.Bench;

/// <summary>Lag to each replica of a lone signup (p50/p90/p99/max, ms): the pipeline when it is <em>not</em> busy.</summary>
internal sealed record LagQuantiles(long Count, double P50, double P90, double P99, double Max);

/// <summary>
/// The system at rest: one signup every <see cref="Interval"/> and each one's lag to every replica (goal: p90 ≤ 10 ms),
/// then the services' CPU with no load at all, as % of one core.
/// </summary>
internal sealed record IdleReport(double IntervalMs, int Signups, long Failed, Dictionary<string, LagQuantiles> LagMs, double QuietSeconds, Dictionary<string, double> IdleCpuPercentOfCore);

internal sealed class IdlePhase(BenchSystem system, bool quick)
{
    public static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(100);

    public const string Phase = "idle";

    public async Task<IdleReport> RunAsync(CancellationToken cancellationToken)
    {
        using var client = system.Users.CreateClient();
        var signups = quick ? 50 : 200;
        long failed = 0;
        using (var timer = new PeriodicTimer(Interval))
        {
            for (var i = 0; i < signups && await timer.WaitForNextTickAsync(cancellationToken); i++)
            {
                // One at a time: each waits for the previous answer, so the system never has two signups in flight.
                using var response = await client.PostAsJsonAsync("/users",
                    new { name = $"bench-{Phase}-{i}", email = $"{Phase}.{i}.{Guid.NewGuid():N}@bench.example", password = Benchmarks.Password },
                    cancellationToken);
                failed += response.StatusCode == HttpStatusCode.Created ? 0 : 1;
            }
        }

        if (failed == signups)
        {
            // Measuring nothing would print lags of zero: an idle system that refuses every signup is a broken bench.
            throw new InvalidOperationException($"Every one of the idle phase's {signups} signups was refused.");
        }

        var lags = new Dictionary<string, LagQuantiles>();
        foreach (var replica in BenchSystem.Replicas)
        {
            await Testing.Poll.UntilAsync(
                () => system.ScalarAsync(replica, $"""SELECT count(*) FROM {replica}."Users" WHERE "Name" LIKE 'bench-{Phase}-%'""", cancellationToken),
                count => count >= signups - failed, $"{replica} to hold the idle phase's users", TimeSpan.FromMinutes(1), cancellationToken: cancellationToken);
            var values = (await system.QueryDoublesAsync(replica,
                $"""SELECT extract(epoch FROM ("ReplicatedAt" - "ChangedAt")) * 1000 FROM {replica}."Users" WHERE "Name" LIKE 'bench-{Phase}-%'""",
                cancellationToken)).Order().ToArray();
            lags[replica] = new LagQuantiles(values.Length, Quantile(values, 0.5), Quantile(values, 0.9), Quantile(values, 0.99), values.DefaultIfEmpty().Max());
        }

        Console.WriteLine($"Idle: one signup every {Interval.TotalMilliseconds:0} ms, lag " +
            string.Join(", ", lags.Select(l => $"{l.Key} p50 {l.Value.P50:0.0} / p90 {l.Value.P90:0.0} / p99 {l.Value.P99:0.0} ms")));

        var quiet = quick ? TimeSpan.FromSeconds(5) : TimeSpan.FromSeconds(20);
        await Task.Delay(TimeSpan.FromSeconds(2), cancellationToken); // the last signup's consumers and relays finish first
        var processes = system.Services.Select(s => (s.Key, s.Value.ProcessId)).ToList();
        var clock = Stopwatch.StartNew();
        var during = await CpuMeter.DuringAsync(processes, system.KafkaBrokerProcessId, quiet, cancellationToken);
        var seconds = clock.Elapsed.TotalSeconds;
        var cpu = during.ToDictionary(p => p.Key, p => Math.Round(100 * p.Value.TotalSeconds / seconds, 1));
        Console.WriteLine($"Idle CPU over {seconds:0} s with no load (% of one core): " + string.Join(", ", cpu.Select(c => $"{c.Key} {c.Value:0.0}")));
        return new IdleReport(Interval.TotalMilliseconds, signups, failed, lags, Math.Round(seconds, 1), cpu);
    }

    /// <summary>The nearest-rank quantile of sorted values, exact for a few hundred values (no histogram rounding).</summary>
    private static double Quantile(double[] sorted, double q) =>
        sorted.Length == 0 ? 0 : Math.Round(sorted[Math.Clamp((int)Math.Ceiling(q * sorted.Length) - 1, 0, sorted.Length - 1)], 2);
}
