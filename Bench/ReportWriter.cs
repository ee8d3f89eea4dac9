using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;

namespace ConcertBooking.Bench;

/// <summary>Writes the report as JSON (for tools and the README) and as an HTML page with inline SVG charts (for people).</summary>
internal static class ReportWriter
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    public static async Task<(string Json, string Html)> WriteAsync(BenchReport report, string directory)
    {
        Directory.CreateDirectory(directory);
        var stamp = report.At.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture);
        var json = Path.Combine(directory, $"{stamp}.json");
        var html = Path.Combine(directory, $"{stamp}.html");
        await File.WriteAllTextAsync(json, JsonSerializer.Serialize(report, Json));
        await File.WriteAllTextAsync(html, Html(report));
        return (json, html);
    }

    private const string Style = """
        <!doctype html><html lang="en"><head><meta charset="utf-8">
        <style>body{font:14px system-ui,sans-serif;margin:2rem;color:#1d2330} table{border-collapse:collapse;margin:.5rem 0 1.5rem}
        td,th{border:1px solid #ccd;padding:.25rem .6rem;text-align:right} th{background:#eef0f4} td:first-child,th:first-child{text-align:left}</style>
        """;

    private static string Html(BenchReport report)
    {
        var page = new StringBuilder();
        page.Append(Style);
        page.Append(CultureInfo.InvariantCulture, $"""
            <title>ConcertBooking benchmark {report.At:u}</title></head><body><h1>ConcertBooking benchmark</h1>
            <p>{report.At:u} · {WebUtility.HtmlEncode(report.Machine)} · {report.Cores} cores · {report.MemoryGiB} GiB ·
            {WebUtility.HtmlEncode(report.Transport)} · {report.Database}{(report.Quick ? " · QUICK RUN (short phases)" : "")}</p>
            <h2>Replication lag p99 by offered signup rate (ms)</h2>
            """);
        page.Append(LagChart(report));
        page.Append("<h2>Signups at fixed offered rates</h2><table><tr><th>offered/s</th><th>achieved/s</th><th>failed</th><th>latency p50</th><th>p99</th><th>max</th>");
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
            <h2>Maximum sustained</h2><p>{(report.Max is { } max
                ? $"{max.SustainedPerSecond} signups/s: the highest offered rate at which every signup was answered at pace and every replica held all of them within 1 s of the end."
                : "Not measured in this run.")}</p>
            <table><tr><th>offered/s</th><th>answered/s</th><th>failed</th><th>latency p99 ms</th><th>replicas done after (s)</th><th></th></tr>
            {string.Concat((report.Max?.Steps ?? []).Select(m => $"<tr><td>{m.OfferedPerSecond}</td><td>{m.AchievedPerSecond:0}</td><td>{m.Failed}</td><td>{m.SignupLatencyMs.P99:0.0}</td><td>{m.DrainSeconds:0.0}</td><td>{(m.KeptUp ? "kept up" : "fell behind")}</td></tr>"))}
            </table>
            <h2>Reservation latency: local replica vs synchronous call to UserService</h2>
            <table><tr><th>user lookup</th><th>UserService</th><th>p50 ms</th><th>p95</th><th>p99</th><th>max</th><th>errors</th></tr>
            {string.Concat(report.Reservations.Select(r => $"<tr><td>{r.UserLookup}</td><td>{r.UserService}</td><td>{r.LatencyMs.P50:0.0}</td><td>{r.LatencyMs.P95:0.0}</td><td>{r.LatencyMs.P99:0.0}</td><td>{r.LatencyMs.Max:0.0}</td><td>{r.Errors}/{r.Requests}</td></tr>"))}
            </table>
            <h2>Relay</h2><p>Warmed-up relay processes; events per second from the first confirmed row to the last. The wall time, from the fill's commit, also counts the relays noticing the rows on their 1 s poll.</p><table><tr><th>instances</th><th>rows</th><th>seconds relaying</th><th>seconds from the fill</th><th>events/s</th><th>published more than once</th></tr>
            """);
        foreach (var relay in report.Relay)
        {
            page.Append(CultureInfo.InvariantCulture,
                $"<tr><td>{relay.Instances}</td><td>{relay.Rows}</td><td>{relay.RelayingSeconds:0.0}</td><td>{relay.SecondsFromFill:0.0}</td><td>{relay.EventsPerSecond:0}</td><td>{relay.PublishedMoreThanOnce}</td></tr>");
        }

        page.Append(CultureInfo.InvariantCulture, $"""
            </table><h2>CPU</h2><p>{(report.Cpu is { } cpu
                ? $"{cpu.CpuMsPerSignup:0.00} ms of CPU per signup at {cpu.OfferedPerSecond}/s (UserService, the three replicas, RabbitMQ and PostgreSQL together): " +
                  string.Join(", ", cpu.CpuMsPerSignupByPart.Select(p => $"{p.Key} {p.Value:0.00} ms")) + "."
                : "Not measured in this run.")}</p><h2>Notes</h2><ul>
            """);
        foreach (var note in report.Notes)
        {
            page.Append(CultureInfo.InvariantCulture, $"<li>{WebUtility.HtmlEncode(note)}</li>");
        }

        return page.Append("</ul></body></html>").ToString();
    }

    private static string LagChart(BenchReport report)
    {
        const int width = 720, height = 260, left = 50, bottom = 30;
        var max = Math.Max(1, report.Rates.SelectMany(r => r.ReplicationLagMs.Values).Select(p => p.P99).DefaultIfEmpty(1).Max());
        var svg = new StringBuilder().Append(CultureInfo.InvariantCulture, $"<svg width=\"{width}\" height=\"{height}\" xmlns=\"http://www.w3.org/2000/svg\">");
        string[] colors = ["#3b6fd4", "#d4873b", "#3bb27a"];
        var groupWidth = (width - left) / Math.Max(1, report.Rates.Count);
        for (var g = 0; g < report.Rates.Count; g++)
        {
            var rate = report.Rates[g];
            for (var r = 0; r < BenchSystem.Replicas.Length; r++)
            {
                var value = rate.ReplicationLagMs[BenchSystem.Replicas[r]].P99;
                var barHeight = (height - bottom - 20) * value / max;
                var x = left + (g * groupWidth) + 20 + (r * 40);
                var y = height - bottom - barHeight;
                svg.Append(CultureInfo.InvariantCulture,
                    $"<rect x=\"{x}\" y=\"{y:0.0}\" width=\"34\" height=\"{barHeight:0.0}\" fill=\"{colors[r]}\"><title>{BenchSystem.Replicas[r]} p99 {value:0.0} ms</title></rect>");
                svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{x + 17}\" y=\"{y - 4:0.0}\" font-size=\"11\" text-anchor=\"middle\">{value:0}</text>");
            }

            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{left + (g * groupWidth) + 80}\" y=\"{height - 10}\" font-size=\"12\" text-anchor=\"middle\">{rate.OfferedPerSecond}/s</text>");
        }

        for (var r = 0; r < BenchSystem.Replicas.Length; r++)
        {
            svg.Append(CultureInfo.InvariantCulture, $"<rect x=\"{width - 110}\" y=\"{10 + (r * 16)}\" width=\"10\" height=\"10\" fill=\"{colors[r]}\"/><text x=\"{width - 95}\" y=\"{19 + (r * 16)}\" font-size=\"11\">{BenchSystem.Replicas[r]}</text>");
        }

        return svg.Append("</svg>").ToString();
    }
}
