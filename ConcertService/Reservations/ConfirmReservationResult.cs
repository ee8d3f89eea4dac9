namespace ConcertBooking.ConcertService.Reservations;

/// <summary>What <see cref="ConfirmReservation"/> did with a payment.</summary>
public abstract record ConfirmReservationResult
{
    private ConfirmReservationResult()
    {
    }

    /// <summary>The pending hold is Confirmed and its seat Sold; ReservationConfirmed is staged.</summary>
    public sealed record Confirmed : ConfirmReservationResult;

    /// <summary>Paid after its hold expired, but the seat was still free: sold all the same, ReservationConfirmed staged.</summary>
    public sealed record ConfirmedLate : ConfirmReservationResult;

    /// <summary>Paid after its hold expired and the seat was taken: Rejected, ReservationRejected staged for the refund.</summary>
    public sealed record Rejected : ConfirmReservationResult;

    /// <summary>
    /// Confirmed or rejected before (a replay, or PaymentService asking again): nothing changed, and the outcome for
    /// this payment is staged again.
    /// </summary>
    public sealed record AlreadyClosed(ReservationStatus Status) : ConfirmReservationResult;

    /// <summary>No reservation of that id was ever made here.</summary>
    public sealed record UnknownReservation : ConfirmReservationResult;
}
