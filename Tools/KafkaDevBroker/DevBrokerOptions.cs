using System.ComponentModel.DataAnnotations;
using ConcertBooking.Messaging.Kafka;

namespace ConcertBooking.Tools.KafkaDevBroker;

/// <summary>The command line: <c>--state-dir DIR --brokers N --partitions N --control-port N --stop-on-stdin-close</c>.</summary>
public sealed class DevBrokerOptions
{
    /// <summary>Command-line switches by the option they set.</summary>
    public static readonly IReadOnlyDictionary<string, string> Switches = new Dictionary<string, string>
    {
        ["--state-dir"] = nameof(StateDirectory),
        ["--brokers"] = nameof(Brokers),
        ["--partitions"] = nameof(Partitions),
        ["--control-port"] = nameof(ControlPort),
        ["--stop-on-stdin-close"] = nameof(StopOnStdinClose),
    };

    /// <summary>Where the bootstrap address and the control URL are written once the cluster is ready (removed at exit).</summary>
    [Required]
    public string StateDirectory { get; set; } = Path.Combine(".run", "kafka");

    [Range(1, 9)]
    public int Brokers { get; set; } = 1;

    /// <summary>Partitions of every topic: by default those a service would create (<see cref="KafkaOptions.Partitions"/>).</summary>
    [Range(1, 1000)]
    public int Partitions { get; set; } = new KafkaOptions().Partitions;

    /// <summary>Loopback port of the control endpoint; 0 picks a free one.</summary>
    [Range(0, 65535)]
    public int ControlPort { get; set; }

    /// <summary>Exit when standard input closes: a test starts it so, and it cannot outlive the test process.</summary>
    public bool StopOnStdinClose { get; set; }
}
