using System.ComponentModel.DataAnnotations;

namespace ConcertBooking.PaymentService.Payments;

/// <summary>Bound from <c>Payments</c>.</summary>
public sealed class PaymentOptions
{
    public const string SectionName = "Payments";

    /// <summary>
    /// Payment closes this long before a hold expires, so PaymentCompleted has this long to reach ConcertService
    /// before its sweeper may release the seat; and a payment still Paid this long after its hold expired has lost
    /// its outcome and is reconciled. Roughly the longest normal hand-over from a commit here to a commit there.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "01:00:00")]
    public TimeSpan Grace { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>How often <see cref="PaymentReconciler"/> looks for paid reservations with no outcome.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "01:00:00")]
    public TimeSpan ReconcileInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The most outcomes one reconciliation run asks for.</summary>
    [Range(1, 10_000)]
    public int ReconcileBatchSize { get; set; } = 100;
}
