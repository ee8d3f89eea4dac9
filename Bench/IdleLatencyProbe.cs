using System.Diagnostics;
using System.Net.Http.Json;

namespace ConcertBooking.Bench;

/// <summary>
/// <c>--probe-idle</c>: one signup at a time on an otherwise idle system (10 a second, each awaited), and where each
/// one's time went, hop by hop, from the databases' own timestamps: UserService's commit (the event's OccurredAt,
/// taken just before it) → the relay marking it dispatched (after the broker's confirm) → each replica's inbox entry
/// (the consumer received it) → the replica applying it. Then the services' CPU while nothing happens.
/// </summary>
internal static class IdleLatencyProbe
{
    public static async Task RunAsync(BenchSystem system, int signups, CancellationToken cancellationToken)
    {
        using var client = system.Users.CreateClient();
        Console.WriteLine($"Load average: {File.ReadAllText("/proc/loadavg").Trim()}");
        await SignUpAsync(client, "probe-warm", 200, cancellationToken); // the JIT and the pools, before measuring
        await MeasureIdleCpuAsync(system, cancellationToken);
        var metricsBefore = await ScrapeAsync(system, cancellationToken);
        await SignUpAsync(client, "probe-idle", signups, cancellationToken);
        await Task.Delay(TimeSpan.FromSeconds(2), cancellationToken);
        Console.WriteLine($"Load average: {File.ReadAllText("/proc/loadavg").Trim()}");

        // Epoch milliseconds from each database's clock (one machine, one clock).
        var outbox = await QueryRowsAsync(system, "users", """
            SELECT u."Id"::text, o."MessageId"::text, extract(epoch FROM u."CreatedAt") * 1000,
                   extract(epoch FROM o."DispatchedAt") * 1000
            FROM users."Users" u JOIN users."OutboxMessages" o ON o."PartitionKey" = u."Id"::text
            WHERE u."Name" LIKE 'probe-idle-%'
            """, cancellationToken);
        var messageOf = outbox.ToDictionary(r => r[0], r => r[1]);
        var dispatched = outbox.ToDictionary(r => r[0], r => Number(r[3]));
        foreach (var replica in BenchSystem.Replicas)
        {
            var users = await QueryRowsAsync(system, replica, $"""
                SELECT u."Id"::text, extract(epoch FROM u."ChangedAt") * 1000, extract(epoch FROM u."ReplicatedAt") * 1000
                FROM {replica}."Users" u WHERE u."Name" LIKE 'probe-idle-%'
                """, cancellationToken);
            var received = (await QueryRowsAsync(system, replica, $"""
                SELECT "MessageId"::text, extract(epoch FROM "ReceivedAt") * 1000 FROM {replica}."InboxMessages"
                """, cancellationToken)).ToDictionary(r => r[0], r => Number(r[1]));
            var hops = users.Select(u => (Changed: Number(u[1]), Replicated: Number(u[2]),
                Dispatched: dispatched[u[0]], Received: received[messageOf[u[0]]])).ToList();
            Console.WriteLine($"{replica}: commit->dispatched {Summary(hops.Select(h => h.Dispatched - h.Changed))}");
            Console.WriteLine($"{replica}: commit->received   {Summary(hops.Select(h => h.Received - h.Changed))}");
            Console.WriteLine($"{replica}: received->applied  {Summary(hops.Select(h => h.Replicated - h.Received))}");
            Console.WriteLine($"{replica}: commit->applied    {Summary(hops.Select(h => h.Replicated - h.Changed))}");
        }

        // The services' own duration histograms over the phase (mean = delta sum / delta count): the relay's publish to
        // confirm, and MassTransit's receive (delivery = sent to received, consume = the consumer with its inbox).
        var metricsAfter = await ScrapeAsync(system, cancellationToken);
        foreach (var (series, sum) in metricsAfter.Where(m => m.Key.Contains("_sum", StringComparison.Ordinal)))
        {
            var count = series.Replace("_sum", "_count", StringComparison.Ordinal);
            var n = metricsAfter.GetValueOrDefault(count) - metricsBefore.GetValueOrDefault(count);
            if (n > 0)
            {
                Console.WriteLine($"mean {(sum - metricsBefore.GetValueOrDefault(series)) / n,8:0.000} (n {n}) {series}");
            }
        }

        await MeasureIdleCpuAsync(system, cancellationToken);
    }

    private static async Task<Dictionary<string, double>> ScrapeAsync(BenchSystem system, CancellationToken cancellationToken)
    {
        var values = new Dictionary<string, double>();
        foreach (var (name, process) in system.Services)
        {
            using var client = process.CreateClient();
            var text = await client.GetStringAsync("/metrics", cancellationToken);
            foreach (var line in text.Split('\n'))
            {
                if (line.StartsWith('#') || !(line.Contains("duration", StringComparison.Ordinal) || line.Contains("lag", StringComparison.Ordinal)))
                {
                    continue;
                }

                var space = line.LastIndexOf(' ');
                if (space > 0 && double.TryParse(line[(space + 1)..], System.Globalization.CultureInfo.InvariantCulture, out var value)
                    && (line.Contains("_sum", StringComparison.Ordinal) || line.Contains("_count", StringComparison.Ordinal)))
                {
                    values[$"{name} {line[..space]}"] = value;
                }
            }
        }

        return values;
    }

    /// <summary>The services' CPU while nothing happens, in windows, after the JIT has settled.</summary>
    private static async Task MeasureIdleCpuAsync(BenchSystem system, CancellationToken cancellationToken)
    {
        var processes = system.Services.Select(s => (s.Key, s.Value.ProcessId)).ToList();
        Console.WriteLine("Idle; pids: " + string.Join(", ", processes.Select(p => $"{p.Key} {p.ProcessId}")));
        var windows = int.TryParse(Environment.GetEnvironmentVariable("PROBE_IDLE_WINDOWS"), out var n) ? n : 2;
        for (var window = 0; window < windows; window++)
        {
            var before = CpuMeter.ByPart(processes);
            var clock = Stopwatch.StartNew();
            await Task.Delay(TimeSpan.FromSeconds(15), cancellationToken);
            var after = CpuMeter.ByPart(processes);
            Console.WriteLine($"Idle CPU (% of one core), load {File.ReadAllText("/proc/loadavg").Trim()}: " + string.Join(", ", after.Select(p =>
                $"{p.Key} {(p.Value - before.GetValueOrDefault(p.Key)).TotalMilliseconds / clock.Elapsed.TotalMilliseconds * 100:0.0}")));
        }
    }

    private static async Task SignUpAsync(HttpClient client, string prefix, int count, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < count; i++)
        {
            var wait = TimeSpan.FromMilliseconds(100 * i) - clock.Elapsed;
            if (wait > TimeSpan.Zero)
            {
                await Task.Delay(wait, cancellationToken);
            }

            using var response = await client.PostAsJsonAsync("/users",
                new { name = $"{prefix}-{i}", email = $"{prefix}.{i}.{Guid.NewGuid():N}@bench.example", password = Benchmarks.Password },
                cancellationToken);
            response.EnsureSuccessStatusCode();
        }
    }

    private static async Task<List<string[]>> QueryRowsAsync(BenchSystem system, string service, string sql, CancellationToken cancellationToken)
    {
        await using var connection = new Npgsql.NpgsqlConnection(system.ConnectionString(service));
        await connection.OpenAsync(cancellationToken);
        await using var command = new Npgsql.NpgsqlCommand(sql, connection);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var rows = new List<string[]>();
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add([.. Enumerable.Range(0, reader.FieldCount).Select(i => Convert.ToString(reader.GetValue(i), System.Globalization.CultureInfo.InvariantCulture)!)]);
        }

        return rows;
    }

    private static double Number(string value) => double.Parse(value, System.Globalization.CultureInfo.InvariantCulture);

    private static string Summary(IEnumerable<double> values)
    {
        var sorted = values.Order().ToList();
        if (sorted.Count == 0)
        {
            return "no rows";
        }

        double At(double p) => sorted[Math.Min(sorted.Count - 1, (int)(p * sorted.Count))];
        return $"n {sorted.Count}, p50 {At(0.5):0.0} ms, p90 {At(0.9):0.0} ms, p99 {At(0.99):0.0} ms, max {sorted[^1]:0.0} ms";
    }
}
