using System.Diagnostics;

namespace ConcertBooking.Tests.Infrastructure;

/// <summary>Debian's Chromium, headless, as an operator's browser: the DOM after scripts ran, and a screenshot.</summary>
public static class HeadlessChromium
{
    private const string Executable = "/usr/bin/chromium";

    public static bool Available => File.Exists(Executable);

    public static Task<string> DumpDomAsync(Uri page) => RunAsync(page, "--dump-dom");

    public static async Task ScreenshotAsync(Uri page, string path)
    {
        await RunAsync(page, $"--screenshot={path}", "--window-size=1280,1100");
        Assert.That(File.Exists(path), Is.True, $"chromium wrote no screenshot to {path}");
    }

    private static async Task<string> RunAsync(Uri page, params string[] action)
    {
        var profile = Directory.CreateTempSubdirectory("cb-chromium-");
        try
        {
            var start = new ProcessStartInfo(Executable)
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            };
            foreach (var argument in (string[])
            [
                "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                $"--user-data-dir={profile.FullName}",
                // Lets the page's own script fetch and render its data before the DOM or pixels are taken.
                "--virtual-time-budget=6000",
                .. action,
                page.ToString(),
            ])
            {
                start.ArgumentList.Add(argument);
            }

            using var process = Process.Start(start)!;
            var output = process.StandardOutput.ReadToEndAsync();
            var errors = process.StandardError.ReadToEndAsync();
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            await process.WaitForExitAsync(timeout.Token);
            Assert.That(process.ExitCode, Is.Zero, await errors);
            return await output;
        }
        finally
        {
            profile.Delete(recursive: true);
        }
    }
}
