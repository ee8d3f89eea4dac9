using ConcertBooking.Bench;
using ConcertBooking.Testing;

// make bench: starts a fresh system (own vhost and databases), measures, writes Bench/results/<timestamp>.{json,html}.
var quick = args.Contains("--quick");
var only = args.SkipWhile(a => a != "--only").Skip(1).TakeWhile(a => !a.StartsWith("--", StringComparison.Ordinal)).ToHashSet();
using var stop = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) => { e.Cancel = true; stop.Cancel(); };

await using var system = await BenchSystem.StartAsync(stop.Token);
if (args.Contains("--probe-idle"))
{
    await IdleLatencyProbe.RunAsync(system, quick ? 100 : 300, stop.Token);
    return;
}

var report = await new Benchmarks(system, quick, only).RunAsync(stop.Token);
var written = await ReportWriter.WriteAsync(report, Path.Combine(RepositoryRoot.Find(), "Bench", "results"));
Console.WriteLine($"Report: {written.Json}\nPlot:   {written.Html}");
