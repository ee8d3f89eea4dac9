namespace ConcertBooking.Tools.KafkaDevBroker;

/// <summary>A topic the dev broker created, with the cleanup policy a real cluster would give it (the mock compacts nothing).</summary>
public sealed record DevBrokerTopic(string Name, int Partitions, string CleanupPolicy);
