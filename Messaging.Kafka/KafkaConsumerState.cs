using System.Collections.Concurrent;

namespace ConcertBooking.Messaging.Kafka;

/// <summary>
/// Whether this service's group member still consumes. It stops only on a fatal error, which for a consumer means it
/// was fenced: another member joined with the same <c>group.instance.id</c>. Restarting would fence that one in turn,
/// so it stays stopped and says so in <c>/health</c> until the ids are made unique. A partition whose worker keeps
/// failing outside any consumer (a fault of the transport itself) is listed until its records go through or it is
/// revoked.
/// </summary>
internal sealed class KafkaConsumerState
{
    private readonly ConcurrentDictionary<string, string> _failingPartitions = new();
    private volatile string? _stoppedBecause;
    private int _buffered;

    public string? StoppedBecause => _stoppedBecause;

    public void Stopped(string reason) => _stoppedBecause = reason;

    /// <summary>Partitions that make no progress, each with its last failure.</summary>
    public IReadOnlyDictionary<string, string> FailingPartitions => _failingPartitions;

    public void PartitionFailing(string partition, string reason) => _failingPartitions[partition] = reason;

    public void PartitionRecovered(string partition) => _failingPartitions.TryRemove(partition, out _);

    /// <summary>Records fetched and waiting in partition workers, not yet taken up for handling.</summary>
    public int Buffered => Volatile.Read(ref _buffered);

    public void Buffer(int records) => Interlocked.Add(ref _buffered, records);
}
