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
}
