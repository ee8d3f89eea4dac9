using System.ComponentModel;
using System.Diagnostics;
using Microsoft.Extensions.Configuration;

namespace ConcertBooking.AppHost;

/// <summary>Whether the container engine that Aspire would use answers: a client without an engine is not enough.</summary>
internal static class ContainerEngine
{
    public static bool IsReachable(IConfiguration configuration, out string description)
    {
        // The same setting Aspire reads to choose between docker and podman.
        var runtime = configuration["ASPIRE_CONTAINER_RUNTIME"] ?? configuration["DOTNET_ASPIRE_CONTAINER_RUNTIME"] ?? "docker";
        try
        {
            // `info` asks the engine itself and fails fast when only the client is installed.
            using var info = Process.Start(new ProcessStartInfo(runtime, "info")
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            })!;
            // Both streams are read to the end, so a long answer can never block `info` on a full pipe.
            var output = info.StandardOutput.ReadToEndAsync();
            var errors = info.StandardError.ReadToEndAsync();
            if (!info.WaitForExit(TimeSpan.FromSeconds(15)))
            {
                info.Kill(entireProcessTree: true);
                description = $"`{runtime} info` did not answer within 15 s";
                return false;
            }

            Task.WaitAll(output, errors);
            description = info.ExitCode == 0
                ? $"`{runtime} info` reached the engine"
                : $"`{runtime} info` failed: {FirstLine(errors.Result)}";
            return info.ExitCode == 0;
        }
        catch (Win32Exception)
        {
            description = $"no `{runtime}` command on the PATH";
            return false;
        }
    }

    private static string FirstLine(string text) =>
        text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault() ?? "(no message)";
}
