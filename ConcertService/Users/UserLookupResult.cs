namespace ConcertBooking.ConcertService.Users;

public enum UserLookupResult
{
    Known,
    Unknown,

    /// <summary>Only the HTTP lookup can say this: UserService did not answer.</summary>
    Unavailable,
}
