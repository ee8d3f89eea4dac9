using ConcertBooking.Bench;
using ConcertBooking.Testing;

// make bench: for each transport (RabbitMQ, then Kafka on the dev broker; --transport rabbitmq|kafka for one), starts
// a fresh system (own broker/vhost and databases), measures, and writes one report of both:
// Bench/results/<timestamp>.{json,html}. --quick: short phases and a small flash sale. --only idle,rates,…: those
// phases. --hold any: the flash sale's buyers ask for any free seat instead of picking one. --peer <json>: the Wolverine peer's figures (scripts/bench-peer.sh) beside the project's.
var quick = args.Contains("--quick");
var only = args.SkipWhile(a => a != "--only").Skip(1).TakeWhile(a => !a.StartsWith("--", StringComparison.Ordinal))
    .SelectMany(a => a.Split(',', StringSplitOptions.RemoveEmptyEntries)).ToHashSet();
var transports = Argument("--transport") switch
{
    null or "both" => [TestTransport.RabbitMq, TestTransport.Kafka],
    "rabbitmq" => [TestTransport.RabbitMq],
    "kafka" => new[] { TestTransport.Kafka },
    var other => throw new ArgumentException($"--transport {other}: say rabbitmq, kafka or both."),
};
var peer = Argument("--peer") is { } peerJson ? PeerFigures.Read(peerJson) : null;
var flashSaleSeats = int.TryParse(Argument("--seats"), out var seats) ? seats : quick ? 200 : 2_000;
var holdMode = Argument("--hold") switch
{
    null or "seat" => HoldMode.NamedSeat,
    "any" => HoldMode.AnySeat,
    var other => throw new ArgumentException($"--hold {other}: say seat (buyers pick seats from the map) or any (buyers ask for any free seat)."),
};
using var stop = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) => { e.Cancel = true; stop.Cancel(); };

var reports = new List<BenchReport>();
var startedAt = DateTimeOffset.UtcNow;
foreach (var transport in transports)
{
    Console.WriteLine($"=== {transport} ===");
    await using var system = await BenchSystem.StartAsync(transport, flashSaleSeats, stop.Token);
    if (args.Contains("--probe-idle"))
    {
        // A diagnosis, not a phase: where one signup at a time spends its time, hop by hop, and what idle costs.
        await IdleLatencyProbe.RunAsync(system, quick ? 100 : 300, stop.Token);
        continue;
    }

    reports.Add(await new Benchmarks(system, quick, only, holdMode).RunAsync(stop.Token));

    // Written after each transport (the same files, growing), so a run stopped on the second keeps the first.
    var written = await ReportWriter.WriteAsync(new BenchRun(startedAt, quick, reports, peer), Path.Combine(RepositoryRoot.Find(), "Bench", "results"));
    Console.WriteLine($"Report: {written.Json}\nPlot:   {written.Html}");
}

string? Argument(string name) => args.SkipWhile(a => a != name).Skip(1).FirstOrDefault();
