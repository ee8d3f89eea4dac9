using System.ComponentModel.DataAnnotations;

namespace ConcertBooking.TokenService.Queue;

/// <summary>Bound from <c>Queue</c>: how fast the waiting queue lets users in and for how long.</summary>
public sealed class QueueOptions
{
    public const string SectionName = "Queue";

    /// <summary>How many waiting tokens per concert are admitted at each interval.</summary>
    [Range(1, 10_000)]
    public int AdmitPerInterval { get; set; } = 10;

    [Range(typeof(TimeSpan), "00:00:00.010", "01:00:00")]
    public TimeSpan AdmissionInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// How long an admitted token (and its entry pass) stays valid. No longer than ConcertService's hold
    /// (<c>Reservations:HoldTime</c>, 5 minutes by default), which refuses a pass that outlives a hold: a pass then covers
    /// one hold at most, not one after another.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan AdmissionLifetime { get; set; } = TimeSpan.FromMinutes(5);
}
