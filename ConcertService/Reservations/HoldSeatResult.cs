using ConcertBooking.EntryPasses;

namespace ConcertBooking.ConcertService.Reservations;

/// <summary>What <see cref="HoldSeat"/> did, in the order its checks run.</summary>
public abstract record HoldSeatResult
{
    private HoldSeatResult()
    {
    }

    /// <summary>The seat is Held for the reservation, committed with ReservationCreated.</summary>
    public sealed record Held(Reservation Reservation) : HoldSeatResult;

    /// <summary>A hold asked again with the pass that holds it (any free seat, or the seat it holds): that hold, unchanged.</summary>
    public sealed record AlreadyHeld(Reservation Reservation) : HoldSeatResult;

    /// <summary>Not in this service's replica (or, in Http lookup mode, UserService says so).</summary>
    public sealed record UnknownUser : HoldSeatResult;

    /// <summary>Only with <c>UserLookup:Mode=Http</c>: UserService did not answer.</summary>
    public sealed record UserLookupUnavailable : HoldSeatResult;

    public sealed record UnknownSeat : HoldSeatResult;

    /// <summary>A hold of any free seat named a concert this service does not have.</summary>
    public sealed record UnknownConcert : HoldSeatResult;

    public sealed record NoEntryPass : HoldSeatResult;

    /// <summary>The pass did not verify; <paramref name="Verdict"/> says why.</summary>
    public sealed record EntryPassRefused(EntryPassVerdict Verdict) : HoldSeatResult;

    /// <summary>
    /// Held or sold already: another reservation won the seat. <paramref name="Available"/> names seats free a moment
    /// ago (empty when none was), or is null when <c>Reservations:SeatSuggestions</c> is 0.
    /// </summary>
    public sealed record SeatTaken(string Label, IReadOnlyList<AvailableSeat>? Available) : HoldSeatResult;

    /// <summary>
    /// A hold of any free seat found none: every seat is held or sold (<paramref name="SoldOut"/>), or the free ones are
    /// all locked this instant by holds in flight, any of which may still roll back.
    /// </summary>
    public sealed record NoSeatFree(bool SoldOut) : HoldSeatResult;

    /// <summary>The pass would stay valid longer than a hold (<paramref name="HoldTime"/>): TokenService admits for too long.</summary>
    public sealed record EntryPassOutlivesHold(TimeSpan HoldTime) : HoldSeatResult;

    /// <summary>The pass already holds another seat that is neither paid nor expired: one hold per pass at a time.</summary>
    public sealed record PassAlreadyHolding : HoldSeatResult;

    /// <summary>The user already holds or bought <paramref name="Max"/> seats of this concert.</summary>
    public sealed record SeatLimitReached(int Max) : HoldSeatResult;
}
