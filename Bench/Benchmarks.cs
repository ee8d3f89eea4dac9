using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using ConcertBooking.Testing;
using HdrHistogram;

namespace ConcertBooking.Bench;

internal sealed record Percentiles(long Count, double P50, double P95, double P99, double Max)
{
    public static Percentiles From(HistogramBase histogram, double scale) => new(
        histogram.TotalCount,
        histogram.GetValueAtPercentile(50) / scale,
        histogram.GetValueAtPercentile(95) / scale,
        histogram.GetValueAtPercentile(99) / scale,
        histogram.GetMaxValue() / scale);
}

internal sealed record RatePhase(
    int OfferedPerSecond, double AchievedPerSecond, long Sent, long Failed, Percentiles SignupLatencyMs,
    Dictionary<string, Percentiles> ReplicationLagMs, double DrainSeconds);

internal sealed record MaxStep(int OfferedPerSecond, double AchievedPerSecond, long Failed, Percentiles SignupLatencyMs, double DrainSeconds, bool KeptUp);

internal sealed record MaxPhase(int SustainedPerSecond, List<MaxStep> Steps);

internal sealed record RelayPhase(int Instances, int Rows, double SecondsFromFill, double RelayingSeconds, double EventsPerSecond, long PublishedMoreThanOnce);

internal sealed record CpuPhase(int OfferedPerSecond, long Signups, double CpuMsPerSignup, Dictionary<string, double> CpuMsPerSignupByPart);

internal sealed record ReservationPhase(string UserLookup, string UserService, long Requests, long Errors, Percentiles LatencyMs);

internal sealed record BenchReport(
    DateTimeOffset At, string Machine, int Cores, double MemoryGiB, string Transport, string Database, bool Quick,
    List<RatePhase> Rates, MaxPhase? Max, List<ReservationPhase> Reservations, List<RelayPhase> Relay, CpuPhase? Cpu, List<string> Notes,
    IdleReport? Idle = null, FlashSalePhase? FlashSale = null, Dictionary<string, Dictionary<string, List<LagBucket>>>? LagOverTime = null,
    QueueEntryResult? QueueEntries = null);

/// <summary>Each claim of the design, measured: signup throughput and latency, replication lag, relay throughput, CPU.</summary>
internal sealed class Benchmarks(BenchSystem system, bool quick, IReadOnlySet<string> only, HoldMode holdMode)
{
    /// <summary>Every phase unless <c>--only</c> names some: idle, rates, max, reservations, entries, flashsale, relay.</summary>
    private bool Runs(string phase) => only.Count == 0 || only.Contains(phase);

    private readonly TimeSpan _phase = quick ? TimeSpan.FromSeconds(5) : TimeSpan.FromSeconds(20);
    private readonly HttpClient _client = new(new SocketsHttpHandler { MaxConnectionsPerServer = 256 })
    {
        BaseAddress = system.Users.BaseAddress,
        Timeout = TimeSpan.FromSeconds(30),
    };

    public async Task<BenchReport> RunAsync(CancellationToken cancellationToken)
    {
        var notes = new List<string> { $"Load average at start: {File.ReadAllText("/proc/loadavg").Trim()}" };
        var warmUp = quick ? TimeSpan.FromSeconds(5) : TimeSpan.FromSeconds(40);
        Console.WriteLine($"Warming up for {warmUp.TotalSeconds:0} s (the JIT doubles CPU per message at first)");
        await OfferAsync("warmup", 100, warmUp, cancellationToken);
        await DrainAsync("warmup", cancellationToken);
        var idle = Runs("idle") ? await new IdlePhase(system, quick).RunAsync(cancellationToken) : null;

        var lagOverTime = new Dictionary<string, Dictionary<string, List<LagBucket>>>();
        var rates = new List<RatePhase>();
        CpuPhase? cpu = null;
        foreach (var rate in Runs("rates") ? new[] { 50, 200, 500 } : [])
        {
            var processes = system.Services.Select(s => (s.Key, s.Value.ProcessId)).ToList();
            var cpuBefore = CpuMeter.ByPart(processes, system.KafkaBrokerProcessId);
            var (achieved, sent, failed, latency) = await OfferAsync($"r{rate}", rate, _phase, cancellationToken);
            var drain = await DrainAsync($"r{rate}", cancellationToken);
            var cpuAfter = CpuMeter.ByPart(processes, system.KafkaBrokerProcessId);
            lagOverTime[$"{rate}/s"] = await LagTimeline.OfPhaseAsync(system, $"r{rate}", cancellationToken);
            var lags = new Dictionary<string, Percentiles>();
            foreach (var replica in BenchSystem.Replicas)
            {
                lags[replica] = await LagAsync(replica, $"r{rate}", cancellationToken);
            }

            var phase = new RatePhase(rate, achieved, sent, failed, latency, lags, drain);
            rates.Add(phase);
            Console.WriteLine($"{rate}/s offered: {achieved:0}/s achieved, {failed} failed, latency p99 {latency.P99:0.0} ms, " +
                string.Join(", ", lags.Select(l => $"{l.Key} lag p99 {l.Value.P99:0.0} ms")));
            if (rate == 200)
            {
                var signups = Math.Max(1, sent - failed);
                var byPart = cpuAfter.ToDictionary(p => p.Key, p => Math.Round((p.Value - cpuBefore.GetValueOrDefault(p.Key)).TotalMilliseconds / signups, 2));
                cpu = new CpuPhase(rate, sent - failed, byPart.Values.Sum(), byPart);
                Console.WriteLine($"CPU per signup at 200/s: {cpu.CpuMsPerSignup:0.00} ms (" +
                    string.Join(", ", byPart.Select(p => $"{p.Key} {p.Value:0.00}")) + ")");
            }
        }

        var max = Runs("max") ? await MaxSustainedAsync(cancellationToken) : null;
        var reservations = Runs("reservations") ? await ReservationsAsync(cancellationToken) : [];
        var entries = Runs("entries") ? await new QueueEntryPhase(system, quick).RunAsync(cancellationToken) : null;
        FlashSalePhase? flashSale = null;
        if (Runs("flashsale"))
        {
            await FlashSale.RehearsalOf(system, holdMode).RehearseAsync(cancellationToken);
            flashSale = await FlashSale.Of(system, holdMode).RunAsync(cancellationToken);
        }

        var relay = new List<RelayPhase>();
        if (Runs("relay"))
        {
            relay.Add(await RelayAsync(1, quick ? 5_000 : 50_000, cancellationToken));
            relay.Add(await RelayAsync(2, quick ? 5_000 : 50_000, cancellationToken));
        }

        notes.Add($"Load average at end: {File.ReadAllText("/proc/loadavg").Trim()} (other work on the machine skews every number here)");
        notes.Add("Replication lag is measured from the event's OccurredAt (taken in the signup request, just before its commit) to the replica's commit, from both databases' clocks on one machine.");
        notes.Add("Signup latency is corrected for coordinated omission: it is counted from each request's scheduled start.");
        notes.Add($"Passwords are hashed with {TestSecrets.PasswordHashIterations:N0} PBKDF2 iterations (Identity:PasswordHashIterations, allowed only in the "
            + "Bench and Testing environments; production's floor is 100,000, its default 210,000): the signup numbers measure the pipeline "
            + "(database, outbox, relay, replicas), not the password hash, which at the production cost takes tens of milliseconds of CPU per signup.");
        notes.Add("Reservations carry an access token and an entry pass each (one pass holds one seat at a time); Reservations:MaxSeatsPerUser is "
            + "raised so that one bench user can hold every seat measured.");
        var memory = File.ReadLines("/proc/meminfo").First(l => l.StartsWith("MemTotal", StringComparison.Ordinal));
        var memoryGiB = double.Parse(memory.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]) / 1024 / 1024;
        return new BenchReport(DateTimeOffset.UtcNow, Environment.MachineName, Environment.ProcessorCount, Math.Round(memoryGiB, 1),
            system.TransportDescription, "PostgreSQL 15", quick, rates, max, reservations, relay, cpu, notes, idle, flashSale, lagOverTime, entries);
    }

    /// <summary>An open-loop load: requests start on schedule whether or not earlier ones finished.</summary>
    private async Task<(double Achieved, long Sent, long Failed, Percentiles Latency)> OfferAsync(
        string phase, int perSecond, TimeSpan duration, CancellationToken cancellationToken)
    {
        var histogram = new LongHistogram(TimeSpan.FromMinutes(1).Ticks, 3);
        var total = (int)(perSecond * duration.TotalSeconds);
        var inFlight = new List<Task>(total);
        long failed = 0;
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < total; i++)
        {
            var scheduled = TimeSpan.FromSeconds((double)i / perSecond);
            var wait = scheduled - clock.Elapsed;
            if (wait > TimeSpan.FromMilliseconds(1))
            {
                await Task.Delay(wait, cancellationToken);
            }

            var n = i;
            inFlight.Add(Task.Run(async () =>
            {
                try
                {
                    var response = await _client.PostAsJsonAsync("/users",
                        new { name = $"bench-{phase}-{n}", email = $"{phase}.{n}.{Guid.NewGuid():N}@bench.example", password = Password }, cancellationToken);
                    if (response.StatusCode != HttpStatusCode.Created)
                    {
                        Interlocked.Increment(ref failed);
                    }
                }
                catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
                {
                    Interlocked.Increment(ref failed); // refused or timed out: an error the report counts, not a crash
                }

                var latency = clock.Elapsed - scheduled;
                lock (histogram)
                {
                    histogram.RecordValue(Math.Max(1, latency.Ticks));
                }
            }, cancellationToken));
        }

        await Task.WhenAll(inFlight);
        var achieved = total / clock.Elapsed.TotalSeconds;
        return (achieved, total, failed, Percentiles.From(histogram, TimeSpan.TicksPerMillisecond));
    }

    /// <summary>Seconds from the end of the load until every replica holds every user of the phase.</summary>
    private async Task<double> DrainAsync(string phase, CancellationToken cancellationToken)
    {
        var expected = await system.ScalarAsync("users", $"""SELECT count(*) FROM users."Users" WHERE "Name" LIKE 'bench-{phase}-%'""", cancellationToken);
        var clock = Stopwatch.StartNew();
        foreach (var replica in BenchSystem.Replicas)
        {
            while (await system.ScalarAsync(replica, $"""SELECT count(*) FROM {replica}."Users" WHERE "Name" LIKE 'bench-{phase}-%'""", cancellationToken) < expected)
            {
                if (clock.Elapsed > TimeSpan.FromMinutes(5))
                {
                    throw new TimeoutException($"{replica} did not catch up with phase {phase} within 5 minutes.");
                }

                await Task.Delay(50, cancellationToken);
            }
        }

        return clock.Elapsed.TotalSeconds;
    }

    private async Task<Percentiles> LagAsync(string replica, string phase, CancellationToken cancellationToken)
    {
        var lags = await system.QueryDoublesAsync(replica,
            $"""SELECT extract(epoch FROM ("ReplicatedAt" - "ChangedAt")) * 1000000 FROM {replica}."Users" WHERE "Name" LIKE 'bench-{phase}-%'""",
            cancellationToken);
        var histogram = new LongHistogram(TimeSpan.FromMinutes(10).Ticks / 10, 3);
        foreach (var microseconds in lags)
        {
            histogram.RecordValue(Math.Max(1, (long)microseconds));
        }

        return Percentiles.From(histogram, 1000);
    }

    /// <summary>
    /// The highest offered rate the whole system sustains: open-loop steps of rising rate, each passing when every
    /// signup was answered 201 at the offered pace and every replica held all of them within a second of the end.
    /// </summary>
    private async Task<MaxPhase> MaxSustainedAsync(CancellationToken cancellationToken)
    {
        var steps = new List<MaxStep>();
        var duration = quick ? TimeSpan.FromSeconds(3) : TimeSpan.FromSeconds(10);
        // From 100/s: on a slow day the machine cannot sustain 250/s, and a ladder starting there reports 0/s.
        foreach (var rate in quick ? new[] { 100, 250, 400, 600 } : [100, 150, 200, 250, 300, 350, 400, 450, 500, 550, 600, 700])
        {
            var (achieved, _, failed, latency) = await OfferAsync($"max{rate}", rate, duration, cancellationToken);
            var drain = await DrainAsync($"max{rate}", cancellationToken);
            var step = new MaxStep(rate, achieved, failed, latency, drain, failed == 0 && achieved >= rate * 0.97 && drain < 1);
            steps.Add(step);
            Console.WriteLine($"Max search, {rate}/s offered: {achieved:0}/s answered, {failed} failed, latency p99 {latency.P99:0.0} ms, " +
                $"replicas done {drain:0.0} s after the load: {(step.KeptUp ? "kept up" : "fell behind")}");
            if (!step.KeptUp)
            {
                break;
            }
        }

        var sustained = steps.Where(s => s.KeptUp).Select(s => s.OfferedPerSecond).DefaultIfEmpty(0).Max();
        Console.WriteLine($"Max sustained with every replica keeping up: {sustained}/s");
        return new MaxPhase(sustained, steps);
    }

    /// <summary>
    /// Reservation latency with the user checked in the local replica (the design) and by a synchronous call to
    /// UserService (UserLookup:Mode=Http, the design it replaces), with UserService healthy, 200 ms slow, and stopped.
    /// </summary>
    private async Task<List<ReservationPhase>> ReservationsAsync(CancellationToken cancellationToken)
    {
        var perScenario = quick ? 20 : 100;
        var email = $"res.{Guid.NewGuid():N}@bench.example";
        var user = await _client.PostAsJsonAsync("/users", new { name = "bench-res-0", email, password = Password }, cancellationToken);
        var userId = (await user.Content.ReadFromJsonAsync<IdOnly>(cancellationToken))!.Id;
        // Signed in before UserService is slowed or stopped: the services check the token locally, as in production.
        var signedIn = await _client.PostAsJsonAsync("/auth/token", new { email, password = Password }, cancellationToken);
        signedIn.EnsureSuccessStatusCode();
        var bearer = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer",
            (await signedIn.Content.ReadFromJsonAsync<TokenOnly>(cancellationToken))!.AccessToken);
        await DrainAsync("res", cancellationToken);
        var codec = new EntryPasses.EntryPassCodec(
            Microsoft.Extensions.Options.Options.Create(new EntryPasses.EntryPassOptions { SigningKey = TestSecrets.EntryPassKey }), TimeProvider.System);

        await using var slowUsers = new TcpProxy("127.0.0.1", system.Users.Port);
        var httpConcert = await system.StartServiceAsync("concert",
        [
            .. BenchSystem.ConcertSettings,
            new("UserLookup__Mode", "Http"),
            new("UserLookup__UserServiceUrl", $"http://127.0.0.1:{slowUsers.Port}"),
        ], cancellationToken, name: "concert-http");
        using var replicaClient = new HttpClient { BaseAddress = system.Services["concert"].BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
        using var httpClient = new HttpClient { BaseAddress = httpConcert.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
        var seats = new Queue<Guid>((await replicaClient.GetFromJsonAsync<List<SeatOnly>>($"/concerts/{BenchSystem.ConcertId}/seats", cancellationToken))!
            .Where(s => s.Status == "Available").Select(s => s.Id));

        var phases = new List<ReservationPhase>();
        foreach (var condition in new[] { "healthy", "slow 200 ms", "stopped" })
        {
            if (condition == "slow 200 ms")
            {
                slowUsers.ResponseDelay = TimeSpan.FromMilliseconds(200);
            }
            else if (condition == "stopped")
            {
                slowUsers.ResponseDelay = TimeSpan.Zero;
                await system.StopServiceAsync("users");
            }

            foreach (var (mode, client) in new[] { ("Replica", replicaClient), ("Http", httpClient) })
            {
                var histogram = new LongHistogram(TimeSpan.FromMinutes(1).Ticks, 3);
                long errors = 0;
                for (var i = 0; i < perScenario + 10; i++)
                {
                    using var request = new HttpRequestMessage(HttpMethod.Post, "/reservations") { Content = JsonContent.Create(new { seatId = seats.Dequeue() }) };
                    request.Headers.Authorization = bearer;
                    // A pass holds one seat at a time: each reservation comes with a pass of its own, as from a queue token
                    // of its own; no longer-lived than a hold.
                    request.Headers.Add("X-Entry-Pass", codec.Sign(new EntryPasses.EntryPassClaims(userId, BenchSystem.ConcertId, Guid.NewGuid(),
                        DateTimeOffset.UtcNow.AddMinutes(4))));
                    var started = Stopwatch.GetTimestamp();
                    using var response = await client.SendAsync(request, cancellationToken);
                    if (i < 10)
                    {
                        continue; // warm-up of this path
                    }

                    histogram.RecordValue(Math.Max(1, Stopwatch.GetElapsedTime(started).Ticks));
                    if (response.StatusCode != HttpStatusCode.Created)
                    {
                        errors++;
                    }
                }

                var phase = new ReservationPhase(mode, condition, perScenario, errors, Percentiles.From(histogram, TimeSpan.TicksPerMillisecond));
                phases.Add(phase);
                Console.WriteLine($"Reservations, {mode} lookup, UserService {condition}: p50 {phase.LatencyMs.P50:0.0} ms, p99 {phase.LatencyMs.P99:0.0} ms, {errors}/{perScenario} errors");
            }
        }

        await system.StopServiceAsync("concert-http");
        await system.StartServiceAsync("users", [], cancellationToken);
        return phases;
    }

    private sealed record IdOnly(Guid Id);

    private sealed record TokenOnly(string AccessToken);

    /// <summary>Every bench user's password: long enough for the policy; cheap to hash at the bench's cost (TestSecrets).</summary>
    internal const string Password = "bench users sign up with this passphrase 4821";

    private sealed record SeatOnly(Guid Id, string Status);

    /// <summary>
    /// Pre-filled outbox rows to broker-confirmed, with the replicas stopped so only the relay is measured. The relay
    /// processes first relay a warm-up fill: a fresh process spends a third of its CPU in the JIT, which a relay
    /// running in production has long finished.
    /// </summary>
    private async Task<RelayPhase> RelayAsync(int instances, int rows, CancellationToken cancellationToken)
    {
        foreach (var name in system.Services.Keys.ToList())
        {
            await system.StopServiceAsync(name);
        }

        await FillOutboxAsync(quick ? 2_000 : 10_000, clear: true, cancellationToken);
        for (var i = 0; i < instances; i++)
        {
            await system.StartServiceAsync("users", [new("Messaging__Outbox__BatchSize", "500")], cancellationToken, name: $"relay{i}");
        }

        await UntilDispatchedAsync(cancellationToken);
        var warmedUpTo = await system.ScalarAsync("users", """SELECT max("Sequence") FROM users."OutboxMessages" """, cancellationToken);

        await FillOutboxAsync(rows, clear: false, cancellationToken);
        var clock = Stopwatch.StartNew();
        await UntilDispatchedAsync(cancellationToken);
        var seconds = clock.Elapsed.TotalSeconds;

        // The rate while relaying, from the first confirmed row to the last; the wall time also counts the relays
        // noticing the rows (they poll each second for rows that no commit of theirs announced).
        var measured = $"""FROM users."OutboxMessages" WHERE "Sequence" > {warmedUpTo}""";
        var relaying = (await system.QueryDoublesAsync("users",
            $"""SELECT extract(epoch FROM max("DispatchedAt") - min("DispatchedAt")) {measured}""", cancellationToken))[0];
        var twice = await system.ScalarAsync("users", $"""SELECT count(*) {measured} AND "Attempts" > 1""", cancellationToken);
        var phase = new RelayPhase(instances, rows, Math.Round(seconds, 2), Math.Round(relaying, 2), rows / Math.Max(relaying, 0.001), twice);
        Console.WriteLine($"Relay with {instances} instance(s): {rows} rows in {relaying:0.0} s of relaying ({seconds:0.0} s from the fill's commit) = " +
            $"{phase.EventsPerSecond:0}/s, {twice} published more than once");
        return phase;
    }

    private async Task FillOutboxAsync(int rows, bool clear, CancellationToken cancellationToken)
    {
        var delete = clear ? """DELETE FROM users."OutboxMessages";""" : "";
        await using var connection = new Npgsql.NpgsqlConnection(system.ConnectionString("users"));
        await connection.OpenAsync(cancellationToken);
        await using var fill = new Npgsql.NpgsqlCommand($"""
            {delete}
            INSERT INTO users."OutboxMessages" ("MessageId", "MessageType", "Body", "PartitionKey", "CreatedAt", "NextAttemptAt", "Attempts")
            SELECT g.id, 'ConcertBooking.Contracts.UserCreated, Contracts',
                   json_build_object('userId', g.id, 'name', 'relay', 'email', g.id || '@relay.example', 'version', 1, 'occurredAt', now())::text,
                   g.id::text, now(), now(), 0
            FROM (SELECT gen_random_uuid() AS id FROM generate_series(1, {rows})) g;
            """, connection) { CommandTimeout = 300 };
        await fill.ExecuteNonQueryAsync(cancellationToken);
    }

    private async Task UntilDispatchedAsync(CancellationToken cancellationToken)
    {
        // EXISTS stops at the first pending row: counting them all every few milliseconds cost PostgreSQL more
        // CPU than the relay's own queries.
        while (await system.ScalarAsync("users",
            """SELECT CASE WHEN EXISTS (SELECT 1 FROM users."OutboxMessages" WHERE "DispatchedAt" IS NULL) THEN 1 ELSE 0 END""", cancellationToken) > 0)
        {
            await Task.Delay(50, cancellationToken);
        }
    }
}
