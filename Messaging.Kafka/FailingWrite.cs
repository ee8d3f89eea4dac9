namespace ConcertBooking.Messaging.Kafka;

/// <summary>A dead letter that could not be written yet: where it goes, since when, how often it failed and why.</summary>
internal sealed record FailingWrite(string Topic, string Record, DateTimeOffset Since, int Attempts, string LastError);
