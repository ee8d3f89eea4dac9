namespace ConcertBooking.Bench;

/// <summary>
/// Each buyer's step, as the buyer saw it (ms): queue entry (the POST), admission wait (from the queue's answer until
/// a poll saw the pass), hold request (each POST /reservations, taken seats too), seat found (first hold attempt to
/// the 201, retries on taken seats included), payment (from the hold to the 201, waits for PaymentService to learn
/// the reservation included), confirmation (from the payment's 201 until a poll saw Confirmed); and, from the
/// databases, confirmed after payment (the payment's commit to the reservation's confirmation: the pipeline's share of
/// the confirmation step, without the polls' waits for a connection and for their turn).
/// </summary>
internal sealed record FlashSaleSteps(
    Percentiles QueueEntry, Percentiles AdmissionWait, Percentiles HoldRequest, Percentiles SeatFound, Percentiles Payment, Percentiles Confirmation,
    Percentiles ConfirmedAfterPayment);

/// <summary>How each buyer ended, and every 5xx or time-out any request got on the way.</summary>
internal sealed record FlashSaleBuyers(
    int Arrived, int Confirmed, int SoldOut, int GaveUp, int Failed, long Requests, long ServerErrors, long TimeOuts, Dictionary<string, int> Failures)
{
    /// <summary>Every buyer got an answer: a seat, or "sold out", never a 5xx, a time-out or an unexplained refusal.</summary>
    public bool EveryBuyerAnswered => Failed == 0 && ServerErrors == 0 && TimeOuts == 0;
}

/// <summary>
/// The sale reconciled from the databases: ConcertService's seats and reservations, PaymentService's payments and
/// wallets. Money in = what the buyers topped up minus what is left in their wallets.
/// </summary>
internal sealed record FlashSaleLedger(
    long Seats, long SeatsSold, long ReservationsConfirmed, long SeatsOversold, long DoubleCharges, long PaymentsCompleted, long PaymentsRefunded,
    decimal ToppedUp, decimal LeftInWallets, decimal MoneyIn, decimal PaymentsTotal, decimal ConfirmedSeatsValue)
{
    public bool MoneyReconciled => MoneyIn == PaymentsTotal && PaymentsTotal == ConfirmedSeatsValue;
}

/// <summary>
/// Admission order against arrival order, over the pairs of buyers admitted at different instants (a pair let in by
/// the same admission round is a tie and counts neither way): Kendall's tau (1 = admitted exactly in arrival order)
/// and the share of pairs admitted the other way round. AdmissionWaitMs is TokenService's own (admitted − entered).
/// </summary>
internal sealed record FlashSaleFairness(long ComparablePairs, long InvertedPairs, double InvertedShare, double KendallTau, Percentiles AdmissionWaitMs);

/// <summary>Seats held and confirmed (cumulative) at a second since the first buyer arrived.</summary>
internal sealed record SalePoint(double Second, int Held, int Confirmed);

internal sealed record FlashSalePhase(
    int Seats, int BuyerCount, HoldMode HoldMode, double ArrivalWindowSeconds, double PreparationSeconds, FlashSaleBuyers Buyers, FlashSaleLedger Ledger,
    double? SoldOutAfterSeconds, double ConfirmedPerSecond, FlashSaleSteps Steps, FlashSaleFairness Fairness, List<SalePoint> SeatsOverTime);
