namespace ConcertBooking.ConcertService.Reservations;

/// <summary>
/// The latest payment PaymentService refused for a reservation (a wallet too low, say), from <c>PaymentFailed</c>: the
/// reservation stays Pending, and its holder can see why the payment did not go through.
/// </summary>
public sealed class PaymentFailure
{
    public const int ReasonMaxLength = 500;

    public Guid ReservationId { get; set; }

    public decimal Amount { get; set; }

    public required string Reason { get; set; }

    public DateTimeOffset FailedAt { get; set; }

    /// <summary>How many refused payments were recorded; a replay of one already recorded does not count.</summary>
    public int Failures { get; set; }
}
