namespace ConcertBooking.ConcertService.Reservations;

/// <summary>What <see cref="ExpireHold"/> did.</summary>
public enum ExpireHoldResult
{
    /// <summary>The reservation is Expired, its seat Available, ReservationExpired committed with them.</summary>
    Expired,

    /// <summary>Confirmed (or expired by another instance) in the meantime: nothing changed.</summary>
    NoLongerPending,
}
