namespace ConcertBooking.Messaging.Kafka;

/// <summary>A record of a type this service does not know or does not consume.</summary>
public sealed class UnknownMessageTypeException(string message) : Exception(message);
