namespace ConcertBooking.PaymentService.Payments;

/// <summary>What <see cref="RefundPayment"/> did.</summary>
public enum RefundResult
{
    /// <summary>The amount went back to the wallet; the payment and its reservation are Refunded.</summary>
    Refunded,

    /// <summary>Refunded before (a replay past the inbox window) or not a completed payment: nothing changed.</summary>
    NothingToRefund,
}
