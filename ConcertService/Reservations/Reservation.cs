using ConcertBooking.ConcertService.Concerts;
using ConcertBooking.Contracts;
using ConcertBooking.EntryPasses;

namespace ConcertBooking.ConcertService.Reservations;

/// <summary>
/// Transitions happen only by conditional UPDATEs on <see cref="Status"/>, so the sweeper and the confirmation never
/// both win; the entity names the event each transition publishes.
/// </summary>
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

    /// <summary>
    /// The queue token whose entry pass made the hold. While the reservation is Pending no other reservation has the
    /// same one (a filtered unique index): a pass holds one seat at a time. Null for holds made before passes were recorded.
    /// </summary>
    public Guid? PassTokenId { get; set; }

    /// <summary>
    /// A pending hold of the seat at its current price, made with <paramref name="pass"/>, until
    /// <paramref name="holdTime"/> from now or until the pass expires, whichever is later: a pass valid a little longer
    /// than a hold (clocks that disagree, within <see cref="ReservationOptions.PassLifetimeTolerance"/>) would otherwise
    /// outlive the hold it made, and hold another seat once the sweeper had released this one.
    /// </summary>
    public static (Reservation Reservation, ReservationCreated Event) Hold(Seat seat, Guid userId, EntryPassClaims pass, DateTimeOffset now, TimeSpan holdTime)
    {
        var until = now + holdTime;
        var reservation = new Reservation
        {
            Id = Guid.CreateVersion7(now),
            ConcertId = seat.ConcertId,
            SeatId = seat.Id,
            UserId = userId,
            Amount = seat.Price,
            Status = ReservationStatus.Pending,
            CreatedAt = now,
            ExpiresAt = pass.ExpiresAt > until ? pass.ExpiresAt : until,
            PassTokenId = pass.TokenId,
        };
        return (reservation, new ReservationCreated(reservation.Id, reservation.ConcertId, reservation.SeatId, userId, reservation.Amount,
            reservation.CreatedAt, reservation.ExpiresAt));
    }

    public ReservationConfirmed Confirmed(Guid paymentId, decimal amount, DateTimeOffset now) =>
        new(Id, ConcertId, SeatId, UserId, paymentId, amount, now);

    public ReservationRejected Rejected(Guid paymentId, decimal amount, string reason, DateTimeOffset now) =>
        new(Id, UserId, paymentId, amount, reason, now);

    public ReservationExpired Expired(DateTimeOffset now) => new(Id, ConcertId, SeatId, UserId, now);
}
