using ConcertBooking.Bench;

// make bench: starts a fresh system (own vhost and databases), measures, writes Bench/results/<timestamp>.{json,html}.
var quick = args.Contains("--quick");
var only = args.SkipWhile(a => a != "--only").Skip(1).TakeWhile(a => !a.StartsWith("--", StringComparison.Ordinal)).ToHashSet();
var root = Repository.Root();
using var stop = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) => { e.Cancel = true; stop.Cancel(); };

await using var system = await BenchSystem.StartAsync(root, stop.Token);
var report = await new Benchmarks(system, quick, only).RunAsync(stop.Token);
var written = await ReportWriter.WriteAsync(report, Path.Combine(root, "Bench", "results"));
Console.WriteLine($"Report: {written.Json}\nPlot:   {written.Html}");

internal static class Repository
{
    public static string Root()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "ConcertBooking.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("Run from inside the repository.");
    }
}
