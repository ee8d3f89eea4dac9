namespace ConcertBooking.Tests.Infrastructure;

/// <summary>Debian's Chromium, the browser the UI tests drive through Playwright (its own browser download is not reachable here).</summary>
public static class HeadlessChromium
{
    public const string Executable = "/usr/bin/chromium";

    public static bool Available => File.Exists(Executable);
}
