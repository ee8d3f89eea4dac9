using System.ComponentModel.DataAnnotations;

namespace ConcertBooking.ServiceDefaults;

/// <summary>
/// One rate-limited action (<c>RateLimits:SignUp</c>, ...): how many requests a client address and a signed-in user
/// may each make in a window. Both limits apply; the first one spent answers 429.
/// </summary>
public sealed class RateLimitRule
{
    /// <summary>Requests per window from one client address (an IPv6 client counts per /64, which it gets whole).</summary>
    [Range(1, 1_000_000_000)]
    public int PermitsPerAddress { get; set; } = 20;

    /// <summary>Requests per window by one signed-in user (the token's <c>sub</c>), whatever address they come from.</summary>
    [Range(1, 1_000_000_000)]
    public int PermitsPerUser { get; set; } = 10;

    /// <summary>The fixed window the permits are counted in; a refused request is told when the next one starts (<c>Retry-After</c>).</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan Window { get; set; } = TimeSpan.FromMinutes(1);
}
