using ConcertBooking.Contracts;

namespace ConcertBooking.PaymentService.Payments;

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

    /// <summary>A new hold: payable until its expiry.</summary>
    public static PayableReservation Track(ReservationCreated created, DateTimeOffset now) => new()
    {
        ReservationId = created.ReservationId,
        ConcertId = created.ConcertId,
        SeatId = created.SeatId,
        UserId = created.UserId,
        Amount = created.Amount,
        ExpiresAt = created.ExpiresAt,
        Status = PayableStatus.Pending,
        UpdatedAt = now,
    };

    /// <summary>
    /// The tombstone of an expiry that overtook its ReservationCreated, so the late create cannot make it payable.
    /// </summary>
    public static PayableReservation ExpiredBeforeTracked(ReservationExpired expired, DateTimeOffset now) => new()
    {
        ReservationId = expired.ReservationId,
        ConcertId = expired.ConcertId,
        SeatId = expired.SeatId,
        UserId = expired.UserId,
        ExpiresAt = expired.ExpiredAt,
        Status = PayableStatus.Expired,
        UpdatedAt = now,
    };

    /// <summary>Expired by ConcertService's word or by this service's clock, whichever came first.</summary>
    public bool HasExpiredAt(DateTimeOffset now) =>
        Status == PayableStatus.Expired || (Status == PayableStatus.Pending && ExpiresAt <= now);
}
