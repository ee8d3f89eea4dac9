using System.Net;
using System.Text.Json;
using Microsoft.Playwright;

namespace ConcertBooking.Tests.Infrastructure;

/// <summary>
/// The Aspire dashboard of an AppHost under test, run without a login and with its telemetry API on
/// (<c>ASPIRE_DASHBOARD_UNSECURED_ALLOW_ANONYMOUS</c>, <c>ASPIRE_DASHBOARD_API_ENABLED</c>): what it received over OTLP,
/// and its pages as a person sees them, in Debian's Chromium.
/// </summary>
public sealed class AspireDashboard(Uri address) : IDisposable
{
    private const string Chromium = "/usr/bin/chromium";
    private readonly HttpClient _api = new() { BaseAddress = address, Timeout = TimeSpan.FromSeconds(30) };

    public Uri Address { get; } = address;

    /// <summary>The spans the dashboard holds from one service (its resource name), or none yet.</summary>
    public async Task<IReadOnlyList<DashboardSpan>> SpansOfAsync(string service)
    {
        using var response = await _api.GetAsync($"api/telemetry/spans?resource={Uri.EscapeDataString(service)}&limit=1000");
        // 404 until the first of the service's telemetry has arrived.
        return response.StatusCode == HttpStatusCode.NotFound ? [] : await ReadSpansAsync(response);
    }

    /// <summary>Every span of one trace, across services, or none yet.</summary>
    public async Task<IReadOnlyList<DashboardSpan>> TraceAsync(string traceId)
    {
        using var response = await _api.GetAsync($"api/telemetry/traces/{traceId}");
        return response.StatusCode == HttpStatusCode.NotFound ? [] : await ReadSpansAsync(response);
    }

    /// <summary>The trace's page, once every one of <paramref name="services"/> shows in it, as a PNG.</summary>
    public async Task ScreenshotTraceAsync(string traceId, IEnumerable<string> services, string path)
    {
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            // The system's browser: Playwright's own download is not reachable here. Playwright gives it a fresh profile.
            ExecutablePath = Chromium,
            Args =
            [
                "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
            ],
        });
        var page = await browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 1600, Height = 1000 } });
        await page.GotoAsync(new Uri(Address, $"traces/detail/{traceId}").ToString());

        // The dashboard renders over a live connection after the page has loaded: wait for the spans themselves.
        foreach (var service in services)
        {
            await page.GetByText(service, new PageGetByTextOptions { Exact = true }).First
                .WaitForAsync(new LocatorWaitForOptions { Timeout = 60_000 });
        }

        await page.ScreenshotAsync(new PageScreenshotOptions { Path = path, FullPage = true });
    }

    public void Dispose() => _api.Dispose();

    private static async Task<IReadOnlyList<DashboardSpan>> ReadSpansAsync(HttpResponseMessage response)
    {
        response.EnsureSuccessStatusCode();
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var spans = new List<DashboardSpan>();
        if (!json.RootElement.TryGetProperty("data", out var data) || !data.TryGetProperty("resourceSpans", out var resources))
        {
            return spans;
        }

        foreach (var resource in resources.EnumerateArray())
        {
            var service = resource.GetProperty("resource").GetProperty("attributes").EnumerateArray()
                .Where(attribute => attribute.GetProperty("key").GetString() == "service.name")
                .Select(attribute => attribute.GetProperty("value").GetProperty("stringValue").GetString())
                .FirstOrDefault() ?? "";
            foreach (var scope in resource.GetProperty("scopeSpans").EnumerateArray())
            {
                foreach (var span in scope.GetProperty("spans").EnumerateArray())
                {
                    spans.Add(new DashboardSpan(
                        service,
                        span.GetProperty("name").GetString() ?? "",
                        span.TryGetProperty("kind", out var kind) ? (DashboardSpanKind)kind.GetInt32() : DashboardSpanKind.Unspecified,
                        span.GetProperty("traceId").GetString() ?? "",
                        span.GetProperty("spanId").GetString() ?? "",
                        span.TryGetProperty("parentSpanId", out var parent) ? parent.GetString() ?? "" : ""));
                }
            }
        }

        return spans;
    }
}
