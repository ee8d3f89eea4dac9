using System.ComponentModel.DataAnnotations;

namespace ConcertBooking.ConcertService.Reservations;

/// <summary>Bound from <c>Reservations</c>.</summary>
public sealed class ReservationOptions
{
    public const string SectionName = "Reservations";

    /// <summary>How long a reserved seat is held for its payment.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan HoldTime { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>How often the sweeper looks for holds past their expiry.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "01:00:00")]
    public TimeSpan SweepInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// The sweeper releases a hold only this long after its expiry, so a PaymentCompleted taken just before the
    /// expiry (PaymentService closes payment its own grace before it) still finds the hold and confirms it.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "01:00:00")]
    public TimeSpan ExpiryGrace { get; set; } = TimeSpan.FromSeconds(15);

    [Range(1, 10_000)]
    public int SweepBatchSize { get; set; } = 100;

    /// <summary>
    /// How many seats of one concert a user may hold or have bought at once, however many entry passes they collect;
    /// counted in <c>UserSeatCounts</c> by conditional UPDATEs, so concurrent holds cannot go past it.
    /// </summary>
    [Range(1, 10_000)]
    public int MaxSeatsPerUser { get; set; } = 4;

    /// <summary>
    /// How many seats that were free a moment ago a hold refused as taken names instead (<c>availableSeats</c> in its
    /// problem details; none means none was free); 0 names none and says nothing.
    /// </summary>
    [Range(0, 50)]
    public int SeatSuggestions { get; set; } = 5;

    /// <summary>How old the read of a concert's free seats behind those suggestions may be: one read per this, per instance.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:00:10")]
    public TimeSpan SeatSuggestionsMaxAge { get; set; } = TimeSpan.FromMilliseconds(100);

    /// <summary>
    /// How much longer than a hold an entry pass may still be valid when it is used: the clocks of TokenService and
    /// ConcertService may disagree a little, and the hold then lasts until the pass expires. A pass that outlives a hold
    /// by more is refused (TokenService's <c>Queue:AdmissionLifetime</c> must not exceed <see cref="HoldTime"/>).
    /// </summary>
    public static readonly TimeSpan PassLifetimeTolerance = TimeSpan.FromSeconds(30);
}
