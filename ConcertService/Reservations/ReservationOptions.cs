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

    [Range(1, 10_000)]
    public int SweepBatchSize { get; set; } = 100;
}
