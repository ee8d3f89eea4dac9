namespace ConcertBooking.UserService.Identity;

/// <summary>What <see cref="SignIn"/> did.</summary>
public abstract record SignInResult
{
    private SignInResult()
    {
    }

    public sealed record SignedIn(Guid UserId, AccessToken Token) : SignInResult;

    /// <summary>Unknown email or wrong password: the same answer for both, on purpose.</summary>
    public sealed record InvalidCredentials : SignInResult;

    /// <summary>Too many failures in a row for this email (known or not); no password was checked.</summary>
    public sealed record LockedOut(TimeSpan RetryAfter) : SignInResult;
}
