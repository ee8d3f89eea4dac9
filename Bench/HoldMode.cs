namespace ConcertBooking.Bench;

/// <summary>How a flash sale's buyers hold a seat.</summary>
internal enum HoldMode
{
    /// <summary>A seat picked from the seat map; when it is taken, one the refusal names as free, and so on.</summary>
    NamedSeat,

    /// <summary>Any free seat of the concert, which ConcertService picks.</summary>
    AnySeat,
}
