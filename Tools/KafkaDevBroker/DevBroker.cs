using ConcertBooking.Messaging.Hosting;
using ConcertBooking.Messaging.Kafka;
using ConcertBooking.Testing;

namespace ConcertBooking.Tools.KafkaDevBroker;

/// <summary>
/// The mock cluster with the system's topics: every topic the services use and its dead-letter topic, named by the
/// code the services name them with (<see cref="SystemTopology"/>), since the mock does not answer CreateTopics.
/// Brokers can be taken down and brought up, as a crashed and restarted broker.
/// </summary>
public sealed class DevBroker : IDisposable
{
    private readonly KafkaMockCluster _cluster;
    private readonly bool[] _down;
    private readonly List<DevBrokerTopic> _topics = [];
    private readonly int _partitions;

    public DevBroker(int brokers, int partitions)
    {
        _cluster = new KafkaMockCluster(brokers);
        _down = new bool[brokers + 1]; // by broker id, 1-based
        _partitions = partitions;
        var names = SystemTopology.KafkaTopics(new KafkaOptions { Partitions = partitions });
        foreach (var topic in names.All(SystemTopology.Messages))
        {
            // The mock keeps every record: it cannot compact, so a compacted topic here only grows (in memory).
            Create(topic, partitions, names.CleanupPolicy(topic));
        }
    }

    public string BootstrapServers => _cluster.BootstrapServers;

    public IReadOnlyList<DevBrokerTopic> Topics
    {
        get
        {
            lock (_topics)
            {
                return [.. _topics];
            }
        }
    }

    public DevBrokerStatus Status() => new(
        BootstrapServers,
        [.. Enumerable.Range(1, _cluster.Brokers).Select(id => new DevBrokerBroker(id, Up: !_down[id]))],
        Topics);

    /// <summary>Another topic, for services configured to route messages elsewhere than the system's topics.</summary>
    public DevBrokerTopic CreateTopic(string name, int? partitions) =>
        Create(name, partitions ?? _partitions, KafkaCleanupPolicy.Delete);

    /// <summary>Every broker, or the one with <paramref name="brokerId"/>, closes its connections and refuses new ones (<paramref name="up"/> false) or serves again.</summary>
    public void Set(bool up, int? brokerId = null)
    {
        foreach (var id in brokerId is { } one ? [one] : Enumerable.Range(1, _cluster.Brokers))
        {
            if (id < 1 || id > _cluster.Brokers)
            {
                throw new ArgumentOutOfRangeException(nameof(brokerId), id, $"Broker ids are 1 to {_cluster.Brokers}.");
            }

            if (up)
            {
                _cluster.SetUp(id);
            }
            else
            {
                _cluster.SetDown(id);
            }

            _down[id] = !up;
        }
    }

    public void Dispose() => _cluster.Dispose();

    private DevBrokerTopic Create(string name, int partitions, KafkaCleanupPolicy cleanupPolicy)
    {
        _cluster.CreateTopic(name, partitions, _cluster.Brokers);
        var topic = new DevBrokerTopic(name, partitions, cleanupPolicy.ToString());
        lock (_topics)
        {
            _topics.Add(topic);
        }

        return topic;
    }
}
