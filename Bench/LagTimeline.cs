namespace ConcertBooking.Bench;

/// <summary>A slice of a phase: the signups that happened in it and their lag to one replica (ms).</summary>
internal sealed record LagBucket(double Second, int Signups, double P50, double P99, double Max);

/// <summary>Lag over time within a phase, per replica: whether it stays flat, climbs (falling behind) or spikes once.</summary>
internal static class LagTimeline
{
    public static async Task<Dictionary<string, List<LagBucket>>> OfPhaseAsync(BenchSystem system, string phase, CancellationToken cancellationToken)
    {
        var byReplica = new Dictionary<string, List<LagBucket>>();
        foreach (var replica in BenchSystem.Replicas)
        {
            var rows = await system.QueryAsync(replica, $"""
                SELECT extract(epoch FROM "ChangedAt"), extract(epoch FROM ("ReplicatedAt" - "ChangedAt")) * 1000
                FROM {replica}."Users" WHERE "Name" LIKE 'bench-{phase}-%'
                """, row => (At: (double)row.GetDecimal(0), LagMs: (double)row.GetDecimal(1)), cancellationToken);
            if (rows.Count == 0)
            {
                byReplica[replica] = [];
                continue;
            }

            var start = rows.Min(r => r.At);
            var span = rows.Max(r => r.At) - start;
            var width = span > 30 ? 1.0 : span > 8 ? 0.5 : 0.25; // some 20–40 slices whatever the phase's length
            byReplica[replica] = rows.GroupBy(r => Math.Floor((r.At - start) / width))
                .OrderBy(g => g.Key)
                .Select(g =>
                {
                    var lags = g.Select(r => r.LagMs).Order().ToArray();
                    return new LagBucket(Math.Round(g.Key * width, 2), lags.Length, Math.Round(At(lags, 0.5), 2), Math.Round(At(lags, 0.99), 2), Math.Round(lags[^1], 2));
                })
                .ToList();
        }

        return byReplica;
    }

    private static double At(double[] sorted, double q) => sorted[Math.Clamp((int)Math.Ceiling(q * sorted.Length) - 1, 0, sorted.Length - 1)];
}
