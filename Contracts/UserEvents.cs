using MassTransit;

namespace ConcertBooking.Contracts;

/// <summary>
/// Every user event carries the user's whole state and its per-user <see cref="Version"/>, so a replica can
/// apply events in any order and any number of times and still converge: it keeps only the newest version.
/// </summary>
[ExcludeFromTopology]
public interface IUserEvent
{
    Guid UserId { get; }
    string Name { get; }
    string Email { get; }
    long Version { get; }
    DateTimeOffset OccurredAt { get; }
}

public sealed record UserCreated(Guid UserId, string Name, string Email, long Version, DateTimeOffset OccurredAt) : IUserEvent;

public sealed record UserUpdated(Guid UserId, string Name, string Email, long Version, DateTimeOffset OccurredAt) : IUserEvent;

public sealed record UserDeleted(Guid UserId, string Name, string Email, long Version, DateTimeOffset OccurredAt) : IUserEvent;
