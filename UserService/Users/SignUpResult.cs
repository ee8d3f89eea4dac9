namespace ConcertBooking.UserService.Users;

/// <summary>What <see cref="SignUpUser"/> did.</summary>
public abstract record SignUpResult
{
    private SignUpResult()
    {
    }

    /// <summary>The user and its UserCreated are committed together.</summary>
    public sealed record SignedUp(User User) : SignUpResult;

    /// <summary>Another user has the email (ignoring case); nothing was written.</summary>
    public sealed record EmailTaken(string Email) : SignUpResult;
}
