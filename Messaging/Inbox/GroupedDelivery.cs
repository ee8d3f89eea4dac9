namespace ConcertBooking.Messaging.Inbox;

/// <summary>One delivery as group commit sees it: joined to a shared transaction, or handled alone in its own.</summary>
internal sealed record GroupedDelivery(Func<InboxBatch, Task> JoinAsync, Func<Task> HandleAloneAsync);
