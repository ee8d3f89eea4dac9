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
    /// Whether entering a queue nobody waits in admits at once, with the entry pass in the same answer, while the
    /// admission rate has room (<see cref="AdmissionBudget"/>, shared with the admitter): a queue that is not needed
    /// costs no polling. Off, every entry waits for the admitter.
    /// </summary>
    public bool AdmitOnEntry { get; set; } = true;

    /// <summary>
    /// The most new tokens one insert commits together (group commit): entries that reach their insert while
    /// <see cref="ConcurrentEntryInserts"/> others are committing wait, and the next of them to get a turn takes the rest
    /// along in one statement batch and one commit. A lone entry never waits for company. 1 inserts each by itself.
    /// </summary>
    [Range(1, 1_000)]
    public int EntryInsertBatchSize { get; set; } = 64;

    /// <summary>
    /// Inserts of new tokens committing at once per instance, when <see cref="EntryInsertBatchSize"/> is above 1. One
    /// makes the largest groups: in the bench's entries phase it cost PostgreSQL the least per entry, and answered as fast.
    /// </summary>
    [Range(1, 100)]
    public int ConcurrentEntryInserts { get; set; } = 1;

    /// <summary>
    /// How long an admitted token (and its entry pass) stays valid. No longer than ConcertService's hold
    /// (<c>Reservations:HoldTime</c>, 5 minutes by default), which refuses a pass that outlives a hold: a pass then covers
    /// one hold at most, not one after another.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan AdmissionLifetime { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// How long a token stays waiting before it is purged unadmitted: a queue is not a place to be kept forever.
    /// Entering again puts the user at the back with a new token.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "30.00:00:00")]
    public TimeSpan WaitingTokenLifetime { get; set; } = TimeSpan.FromDays(1);

    /// <summary>
    /// How long an admission is kept past its expiry, answering Expired (and re-entering keeps its id), before it is
    /// purged with its entry pass.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "30.00:00:00")]
    public TimeSpan ExpiredTokenRetention { get; set; } = TimeSpan.FromHours(1);

    /// <summary>How often the purge runs.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "01:00:00")]
    public TimeSpan PurgeInterval { get; set; } = TimeSpan.FromMinutes(1);
}
