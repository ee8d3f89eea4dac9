namespace ConcertBooking.PaymentService.Payments;

public enum PaymentStatus
{
    Completed,

    /// <summary>ConcertService rejected the late payment (the seat was gone): the amount went back to the wallet.</summary>
    Refunded,
}
