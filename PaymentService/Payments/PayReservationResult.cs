namespace ConcertBooking.PaymentService.Payments;

/// <summary>What <see cref="PayReservation"/> did.</summary>
public abstract record PayReservationResult
{
    private PayReservationResult()
    {
    }

    /// <summary>The wallet was debited; the payment, the reservation's Paid and PaymentCompleted are committed together.</summary>
    public sealed record Paid(Payment Payment) : PayReservationResult;

    /// <summary>The key paid this reservation for this user before: that payment, and nothing charged again.</summary>
    public sealed record Replayed(Payment Payment) : PayReservationResult;

    /// <summary>The key paid something else before: a new payment needs a new key.</summary>
    public sealed record KeyReused : PayReservationResult;

    public sealed record UnknownUser : PayReservationResult;

    /// <summary>Unknown here: unknown, or its ReservationCreated has not arrived yet.</summary>
    public sealed record UnknownReservation : PayReservationResult;

    public sealed record NotYourReservation : PayReservationResult;

    public sealed record Expired(DateTimeOffset ExpiresAt) : PayReservationResult;

    /// <summary>Paid under another key.</summary>
    public sealed record AlreadyPaid : PayReservationResult;

    /// <summary>
    /// The wallet holds less than <paramref name="Amount"/>: nothing is charged or stored under the key, so the
    /// same key may pay after a top-up; PaymentFailed is published.
    /// </summary>
    public sealed record InsufficientBalance(decimal Amount) : PayReservationResult;
}
