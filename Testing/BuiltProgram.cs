using System.Diagnostics;

namespace ConcertBooking.Testing;

/// <summary>A program of this repository started from its build output, as `make up` starts it, its output kept in a log file or dropped.</summary>
internal static class BuiltProgram
{
    /// <param name="project">The project's folder under the repository root, named like its assembly ("UserService", "Tools/KafkaDevBroker").</param>
    /// <param name="configure">Arguments, environment and anything else of the start, after the defaults.</param>
    public static Process Start(string project, string? logPath, Action<ProcessStartInfo> configure)
    {
        var root = RepositoryRoot.Find();
        var assembly = Path.GetFileName(project);
        var dll = Path.Combine(root, project, "bin", RepositoryRoot.BuildConfiguration(), "net10.0", $"{assembly}.dll");
        if (!File.Exists(dll))
        {
            throw new FileNotFoundException($"{dll} is not built: build the solution first (make build).", dll);
        }

        // Working directory = the project's folder, so that its appsettings*.json are found.
        var start = new ProcessStartInfo("dotnet") { WorkingDirectory = Path.Combine(root, project), RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(dll);
        configure(start);

        var process = Process.Start(start)!;
        // Both pipes are drained even when nothing is kept: a child blocked on a full pipe would hang.
        var log = logPath is null ? TextWriter.Null : new StreamWriter(logPath, append: true) { AutoFlush = true };
        process.OutputDataReceived += (_, line) => { if (line.Data is not null) lock (log) log.WriteLine(line.Data); };
        process.ErrorDataReceived += (_, line) => { if (line.Data is not null) lock (log) log.WriteLine(line.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }
}
