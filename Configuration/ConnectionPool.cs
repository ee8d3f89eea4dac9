using System.Collections.Concurrent;
using Microsoft.Extensions.Options;

namespace ConcertBooking.Configuration;

/// <summary>
/// The service's database connection pool (its connection string's pool size; null without pooling) and how it is
/// shared by those who hold a connection for a while: consumers' transactions take half, the crowd's HTTP actions the
/// other half less <see cref="Reserved"/> connections kept for the outbox relay and housekeeping. The one place the
/// pool is split: each bound claims its share when the service starts, and claims that together would leave nothing
/// to the relay stop the service, whichever setting made them so.
/// </summary>
public sealed class ConnectionPool(int? size)
{
    /// <summary>Connections neither consumers nor actions take by default: the relay's and housekeeping's.</summary>
    public const int Reserved = 2;

    /// <summary>Without pooling every holder opens a connection of its own; the shares then only spare the server.</summary>
    private const int ConsumersWithoutPool = 50;

    /// <summary>The turns measured best for the crowd on two cores with a pool of 20, used when there is no pool to split.</summary>
    private const int ActionsWithoutPool = 8;

    private readonly ConcurrentDictionary<string, int> _claims = new(StringComparer.Ordinal);

    public int? Size => size;

    /// <summary>Consumer transactions at once, when <c>Messaging:Consumers:MaxConcurrentHandlers</c> is not set.</summary>
    public int ConsumersShare => size is { } pool ? Math.Max(1, pool / 2) : ConsumersWithoutPool;

    /// <summary>HTTP actions at once, when <c>Http:MaxConcurrentActions</c> is not set.</summary>
    public int ActionsShare => size is { } pool ? Math.Max(1, pool - pool / 2 - Reserved) : ActionsWithoutPool;

    /// <summary>
    /// Records that the holders <paramref name="setting"/> bounds hold up to <paramref name="connections"/> at once;
    /// throws, naming every claim, when the claims together would leave the relay and housekeeping no connection.
    /// </summary>
    public void Claim(string setting, int connections)
    {
        _claims[setting] = connections;
        var claimed = _claims.Values.Sum();
        if (size is not { } pool || claimed < pool)
        {
            return;
        }

        var claims = string.Join(" and ", _claims.OrderBy(c => c.Key, StringComparer.Ordinal).Select(c => $"{c.Key} ({c.Value})"));
        throw new OptionsValidationException(setting, typeof(ConnectionPool),
        [
            $"{claims} would hold {claimed} of the database connection pool's {pool} connections at once (the pool size of " +
            "the connection string), leaving none to the outbox relay and housekeeping. Lower " +
            (_claims.Count == 1 ? "it" : "one of them") + $", or raise the pool size (unset, consumers take {ConsumersShare} and HTTP actions {ActionsShare}).",
        ]);
    }
}
