namespace ConcertBooking.UserService.Users;

/// <summary>What <see cref="DeleteUser"/> did.</summary>
public abstract record DeleteUserResult
{
    private DeleteUserResult()
    {
    }

    /// <summary>The row is gone and UserDeleted, one version past the last, is committed with its removal.</summary>
    public sealed record Deleted : DeleteUserResult;

    public sealed record UnknownUser : DeleteUserResult;

    /// <summary>Another request changed the user first; nothing was written.</summary>
    public sealed record ChangedConcurrently : DeleteUserResult;
}
