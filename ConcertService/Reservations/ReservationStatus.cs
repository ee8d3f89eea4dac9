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
