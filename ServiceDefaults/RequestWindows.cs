using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace ConcertBooking.ServiceDefaults;

/// <summary>
/// The per-address and per-user windows of the request's rate-limit policy, the address's counted first (as the
/// global limiter's were before the endpoint's): a request refused by either is answered 429 with the window's end as
/// <c>Retry-After</c>. Both are kept in one <see cref="FixedWindows"/>, keyed by policy, kind and who.
/// </summary>
public sealed class RequestWindows(IOptions<RateLimitOptions> options, FixedWindows windows) : PartitionedRateLimiter<HttpContext>
{
    public override RateLimiterStatistics? GetStatistics(HttpContext resource) => null;

    protected override RateLimitLease AttemptAcquireCore(HttpContext resource, int permitCount)
    {
        var limits = options.Value;
        if (!limits.Enabled || RateLimitPartitions.PolicyOf(resource) is not { } policy)
        {
            return FixedWindows.Granted;
        }

        var rule = limits.For(policy);
        var address = windows.Acquire(RateLimitPartitions.AddressKey(policy, resource), rule.PermitsPerAddress, rule.Window);
        if (!address.IsAcquired || RateLimitPartitions.UserOf(resource.User) is not { } user)
        {
            return address;
        }

        return windows.Acquire(RateLimitPartitions.UserKey(policy, user), rule.PermitsPerUser, rule.Window);
    }

    protected override ValueTask<RateLimitLease> AcquireAsyncCore(HttpContext resource, int permitCount, CancellationToken cancellationToken) =>
        new(AttemptAcquireCore(resource, permitCount));
}
