using ConcertBooking.Contracts;

namespace ConcertBooking.PaymentService.Payments;

/// <summary>One per idempotency key and one per reservation, both enforced by unique indexes.</summary>
public sealed class Payment
{
    /// <summary>The longest <see cref="IdempotencyKey"/> accepted, and the column's length.</summary>
    public const int IdempotencyKeyMaxLength = 100;

    public Guid Id { get; set; }

    public required string IdempotencyKey { get; set; }

    public Guid ReservationId { get; set; }

    public Guid UserId { get; set; }

    public decimal Amount { get; set; }

    public PaymentStatus Status { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset? RefundedAt { get; set; }

    /// <summary>A completed payment of the reservation's amount, and the event that tells ConcertService.</summary>
    public static (Payment Payment, PaymentCompleted Event) Complete(string idempotencyKey, PayableReservation reservation, DateTimeOffset now)
    {
        // To the microsecond, as PostgreSQL stores it: the first answer and every replay read from the row say the same.
        now = now.AddTicks(-(now.Ticks % TimeSpan.TicksPerMicrosecond));
        var payment = new Payment
        {
            Id = Guid.CreateVersion7(now),
            IdempotencyKey = idempotencyKey,
            ReservationId = reservation.ReservationId,
            UserId = reservation.UserId,
            Amount = reservation.Amount,
            Status = PaymentStatus.Completed,
            CreatedAt = now,
        };
        return (payment, payment.Completed());
    }

    /// <summary>The event that tells ConcertService the payment completed; the same each time it is asked for.</summary>
    public PaymentCompleted Completed() => new(Id, ReservationId, UserId, Amount, CreatedAt);

    /// <summary>The event for a payment that could not be made (it is not stored).</summary>
    public PaymentFailed Failed(string reason, DateTimeOffset now) => new(ReservationId, UserId, Amount, reason, now);
}
