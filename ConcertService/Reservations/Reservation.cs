namespace ConcertBooking.ConcertService.Reservations;

public enum ReservationStatus
{
    /// <summary>The seat is held until <see cref="Reservation.ExpiresAt"/>, waiting for a payment.</summary>
    Pending,
    Confirmed,
    Expired,

    /// <summary>Paid after its hold expired, when the seat had been taken by someone else: refunded by PaymentService.</summary>
    Rejected,
}

/// <summary>Transitions happen only by conditional UPDATEs on <see cref="Status"/>, so the sweeper and the confirmation never both win.</summary>
public sealed class Reservation
{
    public Guid Id { get; set; }

    public Guid ConcertId { get; set; }

    public Guid SeatId { get; set; }

    public Guid UserId { get; set; }

    /// <summary>The seat's price when it was reserved.</summary>
    public decimal Amount { get; set; }

    public ReservationStatus Status { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset ExpiresAt { get; set; }

    /// <summary>When it was confirmed, expired or rejected.</summary>
    public DateTimeOffset? ClosedAt { get; set; }

    public Guid? PaymentId { get; set; }
}
