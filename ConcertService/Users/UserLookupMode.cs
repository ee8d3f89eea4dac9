namespace ConcertBooking.ConcertService.Users;

public enum UserLookupMode
{
    /// <summary>The local replica: the design.</summary>
    Replica,

    /// <summary>A synchronous call to UserService per request: the design it replaces, kept only to measure against.</summary>
    Http,
}
