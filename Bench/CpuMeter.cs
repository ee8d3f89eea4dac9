using System.Diagnostics;

namespace ConcertBooking.Bench;

/// <summary>CPU time (user + system) of the whole system: the services, RabbitMQ and PostgreSQL, from /proc.</summary>
internal static class CpuMeter
{
    private static readonly double TicksPerSecond = 100; // USER_HZ on Linux

    /// <summary>
    /// CPU time per part: each named service process, the broker (the Kafka dev broker when its process is given, else
    /// RabbitMQ's Erlang VM) and PostgreSQL (all backends).
    /// </summary>
    public static Dictionary<string, TimeSpan> ByPart(IEnumerable<(string Name, int Pid)> services, int? kafkaBrokerPid = null)
    {
        var parts = new Dictionary<string, TimeSpan>();
        foreach (var (name, pid) in services)
        {
            parts[name] = parts.GetValueOrDefault(name) + Of([pid]);
        }

        if (kafkaBrokerPid is { } kafka)
        {
            parts["kafka-dev-broker"] = Of([kafka]);
        }
        else
        {
            parts["rabbitmq"] = Of(ProcessesNamed("beam.smp").Concat(ProcessesNamed("erl_child_setup")));
        }

        parts["postgresql"] = Of(ProcessesNamed("postgres"));
        return parts;
    }

    private static TimeSpan Of(IEnumerable<int> pids)
    {
        double ticks = 0;
        foreach (var pid in pids.Distinct())
        {
            try
            {
                var stat = File.ReadAllText($"/proc/{pid}/stat");
                var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                ticks += double.Parse(fields[11]) + double.Parse(fields[12]); // utime, stime
            }
            catch (IOException)
            {
                // The process ended between listing and reading: its time is gone from /proc either way.
            }
        }

        return TimeSpan.FromSeconds(ticks / TicksPerSecond);
    }

    private static IEnumerable<int> ProcessesNamed(string name) =>
        Process.GetProcesses().Where(p => p.ProcessName == name).Select(p => p.Id);
}
