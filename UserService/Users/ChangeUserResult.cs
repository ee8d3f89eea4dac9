namespace ConcertBooking.UserService.Users;

/// <summary>What <see cref="ChangeUser"/> did.</summary>
public abstract record ChangeUserResult
{
    private ChangeUserResult()
    {
    }

    /// <summary>The new name and/or email are committed with their UserUpdated, at the next version.</summary>
    public sealed record Changed(User User) : ChangeUserResult;

    /// <summary>The input matched what the user already had: same version, no event.</summary>
    public sealed record Unchanged(User User) : ChangeUserResult;

    public sealed record UnknownUser : ChangeUserResult;

    /// <summary>Another user has the email (ignoring case); nothing was written.</summary>
    public sealed record EmailTaken(string Email) : ChangeUserResult;

    /// <summary>Another request changed the user first (its version moved on); nothing was written.</summary>
    public sealed record ChangedConcurrently : ChangeUserResult;
}
