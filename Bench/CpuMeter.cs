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

    /// <summary>
    /// CPU time per part between two moments, counting only the processes alive at both: PostgreSQL backends come and
    /// go (other users' connections too), and one that exits in between would take its whole past from the sum.
    /// </summary>
    public static async Task<Dictionary<string, TimeSpan>> DuringAsync(IEnumerable<(string Name, int Pid)> services, int? kafkaBrokerPid, TimeSpan period, CancellationToken cancellationToken)
    {
        var parts = services.Select(s => (s.Name, Pids: (IEnumerable<int>)[s.Pid])).ToList();
        parts.Add(kafkaBrokerPid is { } kafka
            ? ("kafka-dev-broker", [kafka])
            : ("rabbitmq", ProcessesNamed("beam.smp").Concat(ProcessesNamed("erl_child_setup")).ToList()));
        parts.Add(("postgresql", ProcessesNamed("postgres").ToList()));
        var before = parts.SelectMany(p => p.Pids.Select(pid => (p.Name, Pid: pid))).Select(p => (p.Name, p.Pid, Ticks: Ticks(p.Pid))).ToList();
        await Task.Delay(period, cancellationToken); // the measurement is of this period with nothing to wait for
        var during = new Dictionary<string, TimeSpan>();
        foreach (var (name, pid, ticks) in before)
        {
            if (ticks is { } start && Ticks(pid) is { } end && end >= start)
            {
                during[name] = during.GetValueOrDefault(name) + TimeSpan.FromSeconds((end - start) / TicksPerSecond);
            }
            else
            {
                during.TryAdd(name, TimeSpan.Zero);
            }
        }

        return during;
    }

    private static double? Ticks(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            return double.Parse(fields[11]) + double.Parse(fields[12]); // utime, stime
        }
        catch (IOException)
        {
            return null; // gone
        }
    }

    private static TimeSpan Of(IEnumerable<int> pids) =>
        TimeSpan.FromSeconds(pids.Distinct().Sum(pid => Ticks(pid) ?? 0) / TicksPerSecond); // an ended process's time is gone from /proc either way

    private static IEnumerable<int> ProcessesNamed(string name) =>
        Process.GetProcesses().Where(p => p.ProcessName == name).Select(p => p.Id);
}
