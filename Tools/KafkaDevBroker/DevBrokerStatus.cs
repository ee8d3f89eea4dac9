namespace ConcertBooking.Tools.KafkaDevBroker;

/// <summary>What <c>GET /</c> of the control endpoint answers.</summary>
public sealed record DevBrokerStatus(string BootstrapServers, IReadOnlyList<DevBrokerBroker> Brokers, IReadOnlyList<DevBrokerTopic> Topics);
