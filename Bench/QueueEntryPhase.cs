using System.Diagnostics;

namespace ConcertBooking.Bench;

/// <summary>What the queue's front door costs: entries per second and CPU per entry, by process.</summary>
internal sealed record QueueEntryResult(
    int Entries, int Concurrency, long Failed, double EntriesPerSecond, Percentiles LatencyMs, double CpuMsPerEntry,
    Dictionary<string, double> CpuMsPerEntryByPart);

/// <summary>
/// The queue's entry alone: signed-up buyers, each entering one concert's queue for the first time, as many at once as
/// <see cref="Concurrency"/>, and admitted at entry as in the flash sale (its admission settings). In the sale the
/// entries share the cores with the first buyers' holds and payments; this phase measures what an entry itself costs
/// TokenService and PostgreSQL, after a warm-up of other buyers' entries for the JIT.
/// </summary>
internal sealed class QueueEntryPhase(BenchSystem system, bool quick)
{
    public const string NamePrefix = "entry-";

    /// <summary>Requests in flight, a quarter of the flash sale's connections.</summary>
    private const int Concurrency = 64;

    public async Task<QueueEntryResult> RunAsync(CancellationToken cancellationToken)
    {
        var warmUp = quick ? 200 : 1_000;
        var measured = quick ? 1_000 : 5_000;
        using var clients = BookingClients.For(system);
        var buyers = await Buyers.SignUpAsync(system, clients, NamePrefix, warmUp + measured, cancellationToken);
        await EnterAsync(buyers[..warmUp], new StepRecorder(), cancellationToken);

        var processes = system.Services.Select(s => (s.Key, s.Value.ProcessId)).ToList();
        var before = CpuMeter.ByPart(processes, system.KafkaBrokerProcessId);
        var latency = new StepRecorder();
        var clock = Stopwatch.StartNew();
        var failed = await EnterAsync(buyers[warmUp..], latency, cancellationToken);
        var elapsed = clock.Elapsed;
        var after = CpuMeter.ByPart(processes, system.KafkaBrokerProcessId);

        var entered = Math.Max(1, buyers.Count - warmUp - failed);
        var byPart = after
            .Where(p => p.Key is "token" or "postgresql")
            .ToDictionary(p => p.Key, p => Math.Round((p.Value - before.GetValueOrDefault(p.Key)).TotalMilliseconds / entered, 3));
        var result = new QueueEntryResult(buyers.Count - warmUp, Concurrency, failed, Math.Round(entered / elapsed.TotalSeconds, 1),
            latency.Milliseconds(), Math.Round(byPart.Values.Sum(), 3), byPart);
        Console.WriteLine($"Queue entries: {result.Entries} at {Concurrency} at once, {failed} failed, {result.EntriesPerSecond:0}/s, " +
            $"latency p50 {result.LatencyMs.P50:0.0} ms, p99 {result.LatencyMs.P99:0.0} ms; CPU per entry {result.CpuMsPerEntry:0.000} ms (" +
            string.Join(", ", byPart.Select(p => $"{p.Key} {p.Value:0.000}")) + ")");
        return result;
    }

    /// <summary>Each buyer enters once; the entries that were not answered with a token.</summary>
    private static async Task<long> EnterAsync(List<BuyerSession> buyers, StepRecorder latency, CancellationToken cancellationToken)
    {
        long failed = 0;
        await Parallel.ForEachAsync(buyers, new ParallelOptions { MaxDegreeOfParallelism = Concurrency, CancellationToken = cancellationToken }, async (buyer, token) =>
        {
            var started = Stopwatch.GetTimestamp();
            var answer = await buyer.EnterQueueAsync(BenchSystem.ConcertId, token);
            latency.Record(Stopwatch.GetElapsedTime(started));
            if (answer.Status is not (200 or 201))
            {
                Interlocked.Increment(ref failed);
            }
        });
        return failed;
    }
}
