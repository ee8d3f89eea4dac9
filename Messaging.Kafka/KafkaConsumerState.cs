namespace ConcertBooking.Messaging.Kafka;

/// <summary>
/// Whether this service's group member still consumes. It stops only on a fatal error, which for a consumer means it
/// was fenced: another member joined with the same <c>group.instance.id</c>. Restarting would fence that one in turn,
/// so it stays stopped and says so in <c>/health</c> until the ids are made unique.
/// </summary>
internal sealed class KafkaConsumerState
{
    private volatile string? _stoppedBecause;
    private int _buffered;

    public string? StoppedBecause => _stoppedBecause;

    public void Stopped(string reason) => _stoppedBecause = reason;

    /// <summary>Records fetched and waiting in partition workers, not yet taken up for handling.</summary>
    public int Buffered => Volatile.Read(ref _buffered);

    public void Buffer(int records) => Interlocked.Add(ref _buffered, records);
}
