namespace ConcertBooking.PaymentService.Payments;

public enum PayableStatus
{
    /// <summary>Held by ConcertService and not paid yet.</summary>
    Pending,
    Paid,
    Confirmed,
    Expired,
    Refunded,
}
