namespace ConcertBooking.Messaging;

public static class MessageHeaders
{
    public const string PartitionKey = "CB-PartitionKey";
}
