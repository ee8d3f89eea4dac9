using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;

namespace ConcertBooking.Bench;

/// <summary>
/// Writes a run as JSON (for tools and the README) and as one self-contained HTML page (inline SVG, no script, nothing
/// fetched when viewed): the headline figures of each transport side by side with the peer's, then each transport's
/// phases with their charts.
/// </summary>
internal static class ReportWriter
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    public static async Task<(string Json, string Html)> WriteAsync(BenchRun run, string directory)
    {
        Directory.CreateDirectory(directory);
        var stamp = run.At.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture);
        var json = Path.Combine(directory, $"{stamp}.json");
        var html = Path.Combine(directory, $"{stamp}.html");
        await File.WriteAllTextAsync(json, JsonSerializer.Serialize(run, Json));
        await File.WriteAllTextAsync(html, Html(run));
        return (json, html);
    }

    private const string Style = """
        <!doctype html><html lang="en"><head><meta charset="utf-8">
        <style>body{font:14px system-ui,sans-serif;margin:2rem;color:#1d2330;max-width:1500px} table{border-collapse:collapse;margin:.5rem 0 1.5rem}
        td,th{border:1px solid #ccd;padding:.25rem .6rem;text-align:right} th{background:#eef0f4} td:first-child,th:first-child{text-align:left}
        .charts{display:flex;flex-wrap:wrap;gap:1rem} .chart{background:#fafbfc;border:1px solid #e4e6ea} .miss{color:#b3261e;font-weight:600} .ok{color:#1b7a3a}
        h2{border-bottom:2px solid #3b6fd4;padding-bottom:.2rem;margin-top:2.5rem} .note{color:#555;max-width:60rem}</style>
        """;

    private static string Html(BenchRun run)
    {
        var page = new StringBuilder(Style);
        page.Append(CultureInfo.InvariantCulture, $"""
            <title>ConcertBooking benchmark {run.At:u}</title></head><body><h1>ConcertBooking benchmark</h1>
            <p>{run.At:u}{(run.Transports.FirstOrDefault() is { } first ? $" · {Encode(first.Machine)} · {first.Cores} cores · {first.MemoryGiB} GiB · {first.Database}" : "")}
            {(run.Quick ? " · <b>QUICK RUN</b> (short phases, small flash sale: a smoke test, not numbers to quote)" : "")}</p>
            """);
        page.Append(Summary(run));
        foreach (var report in run.Transports)
        {
            page.Append(TransportSection.Html(report));
        }

        return page.Append("</body></html>").ToString();
    }

    /// <summary>The issue's goals, one row each, a column per transport and the peer's figure with the ratio.</summary>
    private static string Summary(BenchRun run)
    {
        var rows = new List<(string Figure, string Goal, Func<BenchReport, double?> Ours, double? Peer, bool LowerIsBetter)>
        {
            ("idle: lag p90, worst replica (ms)", "≤ 10", r => r.Idle?.LagMs.Values.Max(l => l.P90), null, true),
            ("idle: CPU of the four services (% of a core)", "", r => r.Idle is { } idle ? Math.Round(idle.IdleCpuPercentOfCore.Where(p => p.Key is "users" or "concert" or "payment" or "token").Sum(p => p.Value), 1) : null, null, true),
            ("lag p99 at 50/s, worst replica (ms)", "< peer", r => WorstLag(r, 50, p => p.P99), PeerWorst(run, 50, p => p.P99), true),
            ("lag p50 at 200/s, worst replica (ms)", "≤ 5", r => WorstLag(r, 200, p => p.P50), PeerWorst(run, 200, p => p.P50), true),
            ("lag p99 at 200/s, worst replica (ms)", "≤ 25", r => WorstLag(r, 200, p => p.P99), PeerWorst(run, 200, p => p.P99), true),
            ("lag p99 at 500/s, worst replica (ms)", "", r => WorstLag(r, 500, p => p.P99), PeerWorst(run, 500, p => p.P99), true),
            ("max sustained signups/s (peer: closed-loop max)", "≥ 600, ≥ 3× peer", r => r.Max?.SustainedPerSecond, run.Peer?.ClosedLoopMaxPerSecond, false),
            ("CPU per signup at 200/s, all processes (ms)", "≤ 4.5", r => r.Cpu?.CpuMsPerSignup, run.Peer?.CpuMsPerSignup(200), true),
            ("relay, 1 instance (events/s)", "", r => r.Relay.FirstOrDefault(x => x.Instances == 1)?.EventsPerSecond, null, false),
            ("relay, 2 instances (events/s)", "≥ 5,000 RabbitMQ, ≥ 10,000 Kafka", r => r.Relay.FirstOrDefault(x => x.Instances == 2)?.EventsPerSecond, null, false),
            ("relay, 2 instances: published twice", "0", r => r.Relay.FirstOrDefault(x => x.Instances == 2)?.PublishedMoreThanOnce, null, true),
            ("queue entries/s, 64 at once", "", r => r.QueueEntries?.EntriesPerSecond, null, false),
            ("CPU per queue entry, TokenService + PostgreSQL (ms)", "", r => r.QueueEntries?.CpuMsPerEntry, null, true),
            ("flash sale: seats confirmed", "all", r => r.FlashSale?.Ledger.ReservationsConfirmed, null, false),
            ("flash sale: seats oversold", "0", r => r.FlashSale?.Ledger.SeatsOversold, null, true),
            ("flash sale: double charges", "0", r => r.FlashSale?.Ledger.DoubleCharges, null, true),
            ("flash sale: money in − payments − confirmed seats' value", "0 and 0", r => r.FlashSale is { } f ? (double)(Math.Abs(f.Ledger.MoneyIn - f.Ledger.PaymentsTotal) + Math.Abs(f.Ledger.PaymentsTotal - f.Ledger.ConfirmedSeatsValue)) : null, null, true),
            ("flash sale: 5xx + time-outs + failed buyers", "0", r => r.FlashSale is { } f ? f.Buyers.ServerErrors + f.Buyers.TimeOuts + f.Buyers.Failed : null, null, true),
            ("flash sale: confirmed bookings/s", "≥ 150", r => r.FlashSale?.ConfirmedPerSecond, null, false),
            ("flash sale: sold out after (s)", "", r => r.FlashSale?.SoldOutAfterSeconds, null, true),
            ("flash sale: hold request p99 (ms)", "≤ 50", r => r.FlashSale?.Steps.HoldRequest.P99, null, true),
            ("flash sale: admissions out of arrival order (%)", "", r => r.FlashSale is { } f ? Math.Round(100 * f.Fairness.InvertedShare, 2) : null, null, true),
        };
        var page = new StringBuilder("<h2>Summary</h2><table><tr><th>figure</th><th>goal</th>");
        foreach (var report in run.Transports)
        {
            page.Append(CultureInfo.InvariantCulture, $"<th>{Encode(TransportName(report))}</th>");
        }

        if (run.Peer is { } peer)
        {
            page.Append(CultureInfo.InvariantCulture, $"<th>peer: {Encode(peer.Label)}</th>");
            foreach (var report in run.Transports)
            {
                page.Append(CultureInfo.InvariantCulture, $"<th>{Encode(TransportName(report))} ÷ peer</th>");
            }
        }

        page.Append("</tr>");
        foreach (var (figure, goal, ours, peerValue, _) in rows)
        {
            page.Append(CultureInfo.InvariantCulture, $"<tr><td>{Encode(figure)}</td><td>{Encode(goal)}</td>");
            foreach (var report in run.Transports)
            {
                page.Append(CultureInfo.InvariantCulture, $"<td>{Number(ours(report))}</td>");
            }

            if (run.Peer is not null)
            {
                page.Append(CultureInfo.InvariantCulture, $"<td>{Number(peerValue)}</td>");
                foreach (var report in run.Transports)
                {
                    page.Append(CultureInfo.InvariantCulture,
                        $"<td>{(ours(report) is { } o && peerValue is { } p && p > 0 ? (o / p).ToString("0.00×", CultureInfo.InvariantCulture) : "")}</td>");
                }
            }

            page.Append("</tr>");
        }

        page.Append("</table>");
        page.Append(run.Peer is { } figures
            ? $"<p class=\"note\">Peer: the same signup pipeline on Wolverine (../shared/peers/wolverine, publisher confirms on), run by scripts/bench-peer.sh right before this run ({Encode(figures.Source)}, started {Encode(figures.StartedUtc)}). A ratio below 1 means fewer milliseconds (lag, CPU) or, for throughput, less than the peer. The peer's maximum is a closed loop of 16 clients; ours is the highest open-loop rate every replica kept up with. Its CPU is measured over the load only, ours over the load and the drain after it.</p>"
            : "<p class=\"note\">No peer figures in this run: <code>make bench PEER=1</code> (or <code>scripts/bench-peer.sh</code> then <code>--peer &lt;json&gt;</code>) adds them.</p>");
        return page.ToString();
    }

    public static string TransportName(BenchReport report) => report.Transport.StartsWith("Kafka", StringComparison.Ordinal) ? "Kafka" : "RabbitMQ";

    private static double? WorstLag(BenchReport report, int rate, Func<Percentiles, double> pick) =>
        report.Rates.FirstOrDefault(r => r.OfferedPerSecond == rate)?.ReplicationLagMs.Values.Max(pick);

    private static double? PeerWorst(BenchRun run, int rate, Func<Percentiles, double> pick) =>
        run.Peer?.At(rate)?.LagMs.Values.Max(pick);

    public static string Number(double? value) => value switch
    {
        null => "–",
        var v when Math.Abs(v.Value) >= 100 => v.Value.ToString("#,0", CultureInfo.InvariantCulture),
        var v => v.Value.ToString("0.##", CultureInfo.InvariantCulture),
    };

    public static string Encode(string text) => WebUtility.HtmlEncode(text);
}
