using Microsoft.Playwright;

namespace ConcertBooking.Tests.Infrastructure;

/// <summary>
/// The ops status page in Debian's Chromium, driven as an operator would: open it, type the key into its form, read
/// what it renders. Every URL the page requests is recorded, so a test can show the key never travels in one.
/// </summary>
public sealed class StatusPageBrowser : IAsyncDisposable
{
    private readonly IPlaywright _playwright;
    private readonly IBrowser _browser;
    private readonly IPage _page;
    private readonly List<string> _requested = [];

    private StatusPageBrowser(IPlaywright playwright, IBrowser browser, IPage page)
    {
        _playwright = playwright;
        _browser = browser;
        _page = page;
        _page.Request += (_, request) =>
        {
            lock (_requested)
            {
                _requested.Add(request.Url);
            }
        };
    }

    public IReadOnlyList<string> RequestedUrls
    {
        get
        {
            lock (_requested)
            {
                return [.. _requested];
            }
        }
    }

    public string CurrentUrl => _page.Url;

    public static async Task<StatusPageBrowser> OpenAsync(Uri address)
    {
        var playwright = await Playwright.CreateAsync();
        var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            // The system's browser: Playwright's own download is not reachable here.
            ExecutablePath = HeadlessChromium.Executable,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
        });
        var page = await browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 1280, Height = 1100 } });
        var opened = new StatusPageBrowser(playwright, browser, page);
        await page.GotoAsync(address.ToString());
        return opened;
    }

    public async Task EnterKeyAsync(string key)
    {
        await _page.Locator("#key-input").FillAsync(key);
        await _page.Locator("#key-form button[type=submit]").ClickAsync();
    }

    /// <summary>Waits (up to 30 s) until the element's text is <paramref name="text"/>: the page fetches and renders on its own schedule.</summary>
    public Task WaitForTextAsync(string selector, string text) =>
        Assertions.Expect(_page.Locator(selector)).ToHaveTextAsync(text, new LocatorAssertionsToHaveTextOptions { Timeout = 30_000 });

    public Task<string> DomAsync() => _page.ContentAsync();

    public Task<string?> SessionKeyAsync() => _page.EvaluateAsync<string?>("() => sessionStorage.getItem('concertbooking.ops-key')");

    public Task ReloadAsync() => _page.ReloadAsync();

    public Task ScreenshotAsync(string path) => _page.ScreenshotAsync(new PageScreenshotOptions { Path = path, FullPage = true });

    public async ValueTask DisposeAsync()
    {
        await _browser.DisposeAsync();
        _playwright.Dispose();
    }
}
