namespace ConcertBooking.Messaging.Kafka;

/// <summary>A record whose body or headers cannot be read: retrying cannot help, it goes to the dead-letter topic at once.</summary>
public sealed class MalformedMessageException(string message, Exception? inner = null) : Exception(message, inner);
