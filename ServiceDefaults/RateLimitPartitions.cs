using System.Net;
using System.Net.Sockets;
using System.Security.Claims;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.RateLimiting;

namespace ConcertBooking.ServiceDefaults;

/// <summary>
/// Who a request counts against: the signed-in user (the token's <c>sub</c>) and the client address. Each rate-limited
/// action has a window per user and one per address, so neither many addresses (one account, a botnet) nor many
/// accounts (one address, fresh signups) get around its limit.
/// </summary>
public static class RateLimitPartitions
{
    /// <summary>The claim that names the user: JWT's subject, kept as <c>sub</c> (tokens are read without claim mapping).</summary>
    public const string SubjectClaim = "sub";

    /// <summary>The partition of requests with no address (the in-memory test server has none).</summary>
    public const string UnknownAddress = "unknown";

    /// <summary>The signed-in user's id, or null for an anonymous request.</summary>
    public static string? UserOf(ClaimsPrincipal user) =>
        user.Identity?.IsAuthenticated == true
            ? (user.FindFirst(SubjectClaim) ?? user.FindFirst(ClaimTypes.NameIdentifier))?.Value
            : null;

    /// <summary>
    /// The client address as a partition key: IPv4 as is (an IPv4-mapped IPv6 address as its IPv4), IPv6 by its /64,
    /// because one IPv6 client is handed a whole /64 and could otherwise take a fresh address per request.
    /// </summary>
    public static string AddressOf(HttpContext context)
    {
        var address = context.Connection.RemoteIpAddress;
        if (address is null)
        {
            return UnknownAddress;
        }

        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        return address.AddressFamily == AddressFamily.InterNetworkV6
            ? new IPNetwork(Prefix64(address), 64).ToString()
            : address.ToString();
    }

    /// <summary>The rate-limit policy the request's endpoint requires, if it is one of <see cref="RateLimitPolicies"/>.</summary>
    public static string? PolicyOf(HttpContext context) =>
        context.GetEndpoint()?.Metadata.GetMetadata<EnableRateLimitingAttribute>()?.PolicyName is { } policy
        && RateLimitPolicies.All.Contains(policy)
            ? policy
            : null;

    /// <summary>The key of the request's client address's window under <paramref name="policy"/>.</summary>
    public static string AddressKey(string policy, HttpContext context) => $"{policy}|address|{AddressOf(context)}";

    /// <summary>The key of a signed-in user's window under <paramref name="policy"/>.</summary>
    public static string UserKey(string policy, string user) => $"{policy}|user|{user}";

    /// <summary>
    /// The one bound all of an instance's actions share (<paramref name="turns"/> at once), with a queue of at most
    /// <paramref name="queued"/>, oldest first; none for an endpoint that is not an action. On even with the rate limits
    /// turned off: it protects the service's database connections, not from a client.
    /// </summary>
    public static RateLimitPartition<string> InFlight(HttpContext context, int turns, int queued) =>
        PolicyOf(context) is not null
            ? RateLimitPartition.GetConcurrencyLimiter(ActionsInFlight, _ => new ConcurrencyLimiterOptions
            {
                PermitLimit = turns,
                QueueLimit = queued,
                QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
            })
            : RateLimitPartition.GetNoLimiter(string.Empty);

    /// <summary>The partition of <see cref="InFlight"/>: one for every action of the instance.</summary>
    public const string ActionsInFlight = "actions in flight";

    private static IPAddress Prefix64(IPAddress address)
    {
        var bytes = address.GetAddressBytes();
        Array.Clear(bytes, 8, 8);
        return new IPAddress(bytes);
    }
}
