namespace ConcertBooking.Messaging.Operations;

/// <summary>
/// The broker could not be asked about dead letters (unreachable, or not answering in time), so a replay stopped
/// without moving its position: the operator asks again.
/// </summary>
public sealed class DeadLettersUnavailableException(string message, Exception? innerException = null) : Exception(message, innerException);
