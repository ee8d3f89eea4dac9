namespace ConcertBooking.PaymentService.Payments;

public enum PaymentStatus
{
    Completed,

    /// <summary>ConcertService rejected the late payment (the seat was gone): the amount went back to the wallet.</summary>
    Refunded,
}

/// <summary>One per idempotency key and one per reservation, both enforced by unique indexes.</summary>
public sealed class Payment
{
    public Guid Id { get; set; }

    public required string IdempotencyKey { get; set; }

    public Guid ReservationId { get; set; }

    public Guid UserId { get; set; }

    public decimal Amount { get; set; }

    public PaymentStatus Status { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset? RefundedAt { get; set; }
}

public enum PayableStatus
{
    /// <summary>Held by ConcertService and not paid yet.</summary>
    Pending,
    Paid,
    Confirmed,
    Expired,
    Refunded,
}

/// <summary>
/// PaymentService's local copy of a reservation, kept from ReservationCreated / ReservationExpired (and later
/// events), so a payment is checked without asking ConcertService.
/// </summary>
public sealed class PayableReservation
{
    public Guid ReservationId { get; set; }

    public Guid ConcertId { get; set; }

    public Guid SeatId { get; set; }

    public Guid UserId { get; set; }

    public decimal Amount { get; set; }

    public DateTimeOffset ExpiresAt { get; set; }

    public PayableStatus Status { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }
}
