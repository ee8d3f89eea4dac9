namespace ConcertBooking.EntryPasses;

/// <summary>What verifying a pass found, in the order the checks run: the first failing check decides.</summary>
public enum EntryPassVerdict
{
    Valid,
    Malformed,
    BadSignature,
    Expired,
    WrongUser,
    WrongConcert,
}
