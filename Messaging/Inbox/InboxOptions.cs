using System.ComponentModel.DataAnnotations;

namespace ConcertBooking.Messaging.Inbox;

/// <summary>Bound from <c>Messaging:Inbox</c>.</summary>
public sealed class InboxOptions
{
    /// <summary>
    /// How long a handled message id is remembered. A redelivery older than this would be handled again, so it
    /// must exceed the longest time a message can sit in the broker (versioned projections stay safe regardless).
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "365.00:00:00")]
    public TimeSpan Retention { get; set; } = TimeSpan.FromDays(7);

    [Range(typeof(TimeSpan), "00:00:00.001", "1.00:00:00")]
    public TimeSpan CleanupInterval { get; set; } = TimeSpan.FromMinutes(10);
}
