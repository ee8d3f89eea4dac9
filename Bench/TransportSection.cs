using System.Globalization;
using System.Text;
using static ConcertBooking.Bench.ReportWriter;

namespace ConcertBooking.Bench;

/// <summary>One transport's part of the HTML report: every phase's table, and its charts.</summary>
internal static class TransportSection
{
    public static string Html(BenchReport report)
    {
        var page = new StringBuilder();
        var name = TransportName(report);
        page.Append(CultureInfo.InvariantCulture, $"<h2 id=\"{name.ToLowerInvariant()}\">{Encode(name)}: {Encode(report.Transport)}</h2>");
        page.Append(Idle(report.Idle));
        page.Append(Lag(report));
        page.Append(Tables(report));
        page.Append(FlashSaleSection.Html(report.FlashSale));
        page.Append("<h3>Notes</h3><ul>");
        foreach (var note in report.Notes)
        {
            page.Append(CultureInfo.InvariantCulture, $"<li>{Encode(note)}</li>");
        }

        return page.Append("</ul>").ToString();
    }

    private static string Idle(IdleReport? idle)
    {
        if (idle is null)
        {
            return "<h3>Idle system</h3><p>Not measured in this run.</p>";
        }

        var page = new StringBuilder();
        page.Append(CultureInfo.InvariantCulture, $"""
            <h3>Idle system</h3><p class="note">One signup every {idle.IntervalMs:0} ms, each after the previous one's answer ({idle.Signups} signups, {idle.Failed} failed):
            how long until each replica holds it (goal p90 ≤ 10 ms). Then {idle.QuietSeconds:0} s with no load at all: CPU per process, % of one core.</p>
            <table><tr><th>replica</th><th>lag p50 ms</th><th>p90</th><th>p99</th><th>max</th></tr>
            {string.Concat(idle.LagMs.Select(l => $"<tr><td>{l.Key}</td><td>{l.Value.P50:0.0}</td><td class=\"{(l.Value.P90 <= 10 ? "ok" : "miss")}\">{l.Value.P90:0.0}</td><td>{l.Value.P99:0.0}</td><td>{l.Value.Max:0.0}</td></tr>"))}
            </table><table><tr>{string.Concat(idle.IdleCpuPercentOfCore.Keys.Select(k => $"<th>{Encode(k)}</th>"))}</tr>
            <tr>{string.Concat(idle.IdleCpuPercentOfCore.Values.Select(v => string.Create(CultureInfo.InvariantCulture, $"<td>{v:0.0}%</td>")))}</tr></table>
            """);
        return page.ToString();
    }

    private static string Lag(BenchReport report)
    {
        if (report.Rates.Count == 0)
        {
            return "";
        }

        var page = new StringBuilder("<h3>Replication lag by offered signup rate</h3><p class=\"note\">One panel per rate, each on its own scale, so that 50/s is as readable as 500/s. Dashed: the goal at 200/s (p99 ≤ 25 ms).</p><div class=\"charts\">");
        foreach (var rate in report.Rates)
        {
            page.Append(Charts.Bars($"{rate.OfferedPerSecond}/s offered ({rate.AchievedPerSecond:0}/s answered)", ["p50", "p95", "p99"],
                BenchSystem.Replicas.Select((replica, i) => (replica, Charts.Colors[i], (IReadOnlyList<double>)
                    [rate.ReplicationLagMs[replica].P50, rate.ReplicationLagMs[replica].P95, rate.ReplicationLagMs[replica].P99])).ToList(),
                "lag ms", logY: false, yLine: rate.OfferedPerSecond == 200 ? 25 : null));
        }

        page.Append("</div>");
        if (report.LagOverTime is { Count: > 0 } timelines)
        {
            page.Append("<h3>Lag over time within each rate phase</h3><p class=\"note\">p99 of the signups made in each slice of the phase, by replica, log scale: flat is steady, a climb is a replica falling behind, a spike is a stall.</p><div class=\"charts\">");
            foreach (var (phase, byReplica) in timelines)
            {
                page.Append(Charts.Lines($"{phase}: lag p99 per slice", byReplica.Select((r, i) => new Series(r.Key, Charts.Colors[i], r.Value.Select(b => (b.Second, b.P99)).ToList())).ToList(),
                    "seconds into the phase", "lag ms", logY: true));
            }

            page.Append("</div>");
        }

        return page.ToString();
    }

    private static string Tables(BenchReport report)
    {
        var page = new StringBuilder("<h3>Signups at fixed offered rates</h3><table><tr><th>offered/s</th><th>achieved/s</th><th>failed</th><th>latency p50</th><th>p99</th><th>max</th>");
        foreach (var replica in BenchSystem.Replicas)
        {
            page.Append(CultureInfo.InvariantCulture, $"<th>{replica} lag p50</th><th>p95</th><th>p99</th><th>max</th>");
        }

        page.Append("</tr>");
        foreach (var rate in report.Rates)
        {
            page.Append(CultureInfo.InvariantCulture,
                $"<tr><td>{rate.OfferedPerSecond}</td><td>{rate.AchievedPerSecond:0}</td><td>{rate.Failed}</td><td>{rate.SignupLatencyMs.P50:0.0}</td><td>{rate.SignupLatencyMs.P99:0.0}</td><td>{rate.SignupLatencyMs.Max:0.0}</td>");
            foreach (var replica in BenchSystem.Replicas)
            {
                var lag = rate.ReplicationLagMs[replica];
                page.Append(CultureInfo.InvariantCulture, $"<td>{lag.P50:0.0}</td><td>{lag.P95:0.0}</td><td>{lag.P99:0.0}</td><td>{lag.Max:0.0}</td>");
            }

            page.Append("</tr>");
        }

        page.Append(CultureInfo.InvariantCulture, $"""
            </table>
            <h3>Maximum sustained</h3><p>{(report.Max is { } max
                ? $"{max.SustainedPerSecond} signups/s: the highest offered rate at which every signup was answered at pace and every replica held all of them within 1 s of the end."
                : "Not measured in this run.")}</p>
            <table><tr><th>offered/s</th><th>answered/s</th><th>failed</th><th>latency p99 ms</th><th>replicas done after (s)</th><th></th></tr>
            {string.Concat((report.Max?.Steps ?? []).Select(m => string.Create(CultureInfo.InvariantCulture, $"<tr><td>{m.OfferedPerSecond}</td><td>{m.AchievedPerSecond:0}</td><td>{m.Failed}</td><td>{m.SignupLatencyMs.P99:0.0}</td><td>{m.DrainSeconds:0.0}</td><td>{(m.KeptUp ? "kept up" : "fell behind")}</td></tr>")))}
            </table>
            <h3>Reservation latency: local replica vs synchronous call to UserService</h3>
            <table><tr><th>user lookup</th><th>UserService</th><th>p50 ms</th><th>p95</th><th>p99</th><th>max</th><th>errors</th></tr>
            {string.Concat(report.Reservations.Select(r => string.Create(CultureInfo.InvariantCulture, $"<tr><td>{r.UserLookup}</td><td>{r.UserService}</td><td>{r.LatencyMs.P50:0.0}</td><td>{r.LatencyMs.P95:0.0}</td><td>{r.LatencyMs.P99:0.0}</td><td>{r.LatencyMs.Max:0.0}</td><td>{r.Errors}/{r.Requests}</td></tr>")))}
            </table>
            <h3>Relay</h3><p class="note">Warmed-up relay processes; events per second from the first confirmed row to the last. The wall time, from the fill's commit, also counts the relays noticing the rows on their 1 s poll. "Published more than once": rows that took more than one attempt (two relays racing for a row would show here).</p><table><tr><th>instances</th><th>rows</th><th>seconds relaying</th><th>seconds from the fill</th><th>events/s</th><th>published more than once</th></tr>
            {string.Concat(report.Relay.Select(relay => string.Create(CultureInfo.InvariantCulture, $"<tr><td>{relay.Instances}</td><td>{relay.Rows}</td><td>{relay.RelayingSeconds:0.0}</td><td>{relay.SecondsFromFill:0.0}</td><td>{relay.EventsPerSecond:0}</td><td>{relay.PublishedMoreThanOnce}</td></tr>")))}
            </table><h3>CPU</h3><p>{(report.Cpu is { } cpu
                ? string.Create(CultureInfo.InvariantCulture, $"{cpu.CpuMsPerSignup:0.00} ms of CPU per signup at {cpu.OfferedPerSecond}/s (UserService, the three replicas, the broker and PostgreSQL together): ") +
                  string.Join(", ", cpu.CpuMsPerSignupByPart.Select(p => string.Create(CultureInfo.InvariantCulture, $"{p.Key} {p.Value:0.00} ms"))) + "."
                : "Not measured in this run.")}</p>
            """);
        return page.ToString();
    }
}
