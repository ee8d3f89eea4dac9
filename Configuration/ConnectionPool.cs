namespace ConcertBooking.Configuration;

/// <summary>
/// The service's database connection pool (its connection string's pool size; null without pooling) and how it is
/// shared by those who hold a connection for a while: consumers' transactions take half, the crowd's HTTP actions the
/// other half less <see cref="Reserved"/> connections kept for the outbox relay and housekeeping. The one place the
/// pool is split; a setting that overrides a share is checked against <see cref="Size"/> at start.
/// </summary>
public sealed record ConnectionPool(int? Size)
{
    /// <summary>Connections neither consumers nor actions take by default: the relay's and housekeeping's.</summary>
    public const int Reserved = 2;

    /// <summary>Without pooling every holder opens a connection of its own; the shares then only spare the server.</summary>
    private const int ConsumersWithoutPool = 50;

    /// <summary>The turns measured best for the crowd on two cores with a pool of 20, used when there is no pool to split.</summary>
    private const int ActionsWithoutPool = 8;

    /// <summary>Consumer transactions at once, when <c>Messaging:Consumers:MaxConcurrentHandlers</c> is not set.</summary>
    public int ConsumersShare => Size is { } size ? Math.Max(1, size / 2) : ConsumersWithoutPool;

    /// <summary>HTTP actions at once, when <c>Http:MaxConcurrentActions</c> is not set.</summary>
    public int ActionsShare => Size is { } size ? Math.Max(1, size - size / 2 - Reserved) : ActionsWithoutPool;

    /// <summary>Whether <paramref name="holders"/> at once leave at least one connection of the pool to everyone else.</summary>
    public bool LeavesRoomFor(int holders) => Size is not { } size || holders < size;
}
