namespace ConcertBooking.Tools.KafkaDevBroker;

/// <summary>One broker of the cluster and whether it serves.</summary>
public sealed record DevBrokerBroker(int Id, bool Up);
