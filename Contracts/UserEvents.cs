using MassTransit;

namespace ConcertBooking.Contracts;

/// <summary>
/// Every user event carries its per-user <see cref="Version"/>, so a replica can apply events in any order and any
/// number of times and still converge: it keeps only the newest version.
/// </summary>
[ExcludeFromTopology]
public interface IUserEvent
{
    Guid UserId { get; }
    long Version { get; }
    DateTimeOffset OccurredAt { get; }
}

/// <summary>An event that carries the user's whole state at its version: a replica may take it as it is.</summary>
[ExcludeFromTopology]
public interface IUserStateEvent : IUserEvent
{
    string Name { get; }
    string Email { get; }
}

public sealed record UserCreated(Guid UserId, string Name, string Email, long Version, DateTimeOffset OccurredAt) : IUserStateEvent;

public sealed record UserUpdated(Guid UserId, string Name, string Email, long Version, DateTimeOffset OccurredAt) : IUserStateEvent;

/// <summary>
/// The user is gone. It names who and at which version, and nothing else: no name or email travels with it or is
/// kept because of it, so a broker's log, a dead letter or a tombstone holds no personal data of a deleted user.
/// </summary>
public sealed record UserDeleted(Guid UserId, long Version, DateTimeOffset OccurredAt) : IUserEvent;
