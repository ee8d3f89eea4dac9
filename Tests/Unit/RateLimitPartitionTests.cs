using System.Net;
using System.Reflection;
using System.Security.Claims;
using System.Threading.RateLimiting;
using ConcertBooking.ServiceDefaults;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.RateLimiting;

namespace ConcertBooking.Tests.Unit;

/// <summary>
/// Who a request counts against: the per-user window is keyed by the token's <c>sub</c> (whatever address the user
/// comes from), the per-address window by the client address (an IPv6 client by its /64), and neither applies to an
/// endpoint without a rate-limit policy or with the limits turned off; and an instance's actions share one bound on how
/// many run at once.
/// </summary>
[TestFixture]
[Category(TestCategories.Unit)]
public sealed class RateLimitPartitionTests
{
    private static readonly RateLimitOptions Options = new()
    {
        Reservation = new RateLimitRule { PermitsPerAddress = 100, PermitsPerUser = 2, Window = TimeSpan.FromMinutes(1) },
    };

    [Test]
    public void A_user_over_the_per_user_limit_is_refused_from_any_address_and_another_user_is_not()
    {
        using var limiter = PartitionedRateLimiter.Create<HttpContext, string>(
            context => RateLimitPartitions.PerUser(context, RateLimitPolicies.Reservation, Options));
        var alice = Guid.NewGuid().ToString();

        Assert.That(limiter.AttemptAcquire(Request(alice, "192.0.2.1")).IsAcquired, Is.True);
        Assert.That(limiter.AttemptAcquire(Request(alice, "192.0.2.2")).IsAcquired, Is.True);
        using var refused = limiter.AttemptAcquire(Request(alice, "198.51.100.7"));

        Assert.That(refused.IsAcquired, Is.False, "the third reservation of the same sub, from a third address");
        Assert.That(refused.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter) && retryAfter > TimeSpan.Zero, Is.True,
            "a refusal says when to retry");
        Assert.That(limiter.AttemptAcquire(Request(Guid.NewGuid().ToString(), "192.0.2.1")).IsAcquired, Is.True, "another user");
    }

    [Test]
    public void The_user_is_the_sub_claim_of_an_authenticated_principal_only()
    {
        var user = Guid.NewGuid().ToString();
        Assert.That(RateLimitPartitions.UserOf(Principal(user)), Is.EqualTo(user));
        Assert.That(RateLimitPartitions.UserOf(new ClaimsPrincipal(new ClaimsIdentity([new Claim("sub", user)]))), Is.Null,
            "claims without an authentication type are not a signed-in user");
        Assert.That(RateLimitPartitions.UserOf(new ClaimsPrincipal(new ClaimsIdentity())), Is.Null);
    }

    [Test]
    public void An_anonymous_request_has_no_per_user_window()
    {
        using var limiter = PartitionedRateLimiter.Create<HttpContext, string>(
            context => RateLimitPartitions.PerUser(context, RateLimitPolicies.Reservation, Options));
        Assert.That(Enumerable.Range(0, 10).All(_ => limiter.AttemptAcquire(Request(null, "192.0.2.1")).IsAcquired), Is.True);
    }

    [TestCase("192.0.2.1", "192.0.2.1")]
    [TestCase("::ffff:192.0.2.1", "192.0.2.1")]
    [TestCase("2001:db8:1:2:3:4:5:6", "2001:db8:1:2::/64")]
    [TestCase("2001:db8:1:2:ffff:ffff:ffff:ffff", "2001:db8:1:2::/64")]
    public void A_client_address_counts_as_itself_or_its_ipv6_64(string address, string partition)
    {
        Assert.That(RateLimitPartitions.AddressOf(Request(null, address)), Is.EqualTo(partition));
    }

    [Test]
    public void The_per_address_window_applies_to_rate_limited_endpoints_only_and_not_when_turned_off()
    {
        var limited = Request(null, "192.0.2.1", RateLimitPolicies.Reservation);
        Assert.That(RateLimitPartitions.PerAddress(limited, Options).PartitionKey, Is.EqualTo("reservation|address|192.0.2.1"));
        Assert.That(RateLimitPartitions.PerAddress(Request(null, "192.0.2.1"), Options).PartitionKey, Is.Empty, "no policy");
        Assert.That(RateLimitPartitions.PerAddress(Request(null, "192.0.2.1", "some-other-policy"), Options).PartitionKey, Is.Empty);
        Assert.That(RateLimitPartitions.PerAddress(limited, new RateLimitOptions { Enabled = false }).PartitionKey, Is.Empty, "turned off");
    }

    [Test]
    public async Task An_instance_s_actions_share_a_bound_and_wait_their_turn_oldest_first_while_other_requests_do_not()
    {
        var http = new HttpLimitsOptions { MaxConcurrentActions = 2, MaxQueuedActions = 2 };
        using var limiter = PartitionedRateLimiter.Create<HttpContext, string>(context => RateLimitPartitions.InFlight(context, http));
        HttpContext Action(int i) => Request(Guid.NewGuid().ToString(), $"192.0.2.{i}", i % 2 == 0 ? RateLimitPolicies.Reservation : RateLimitPolicies.Payment);

        using var first = await limiter.AcquireAsync(Action(1));
        using var second = await limiter.AcquireAsync(Action(2));
        var third = limiter.AcquireAsync(Action(3)).AsTask();
        var fourth = limiter.AcquireAsync(Action(4)).AsTask();
        using var fifth = await limiter.AcquireAsync(Action(5));

        Assert.That(first.IsAcquired && second.IsAcquired, Is.True, "two actions, of any users, addresses and kinds, run at once");
        Assert.That(third.IsCompleted || fourth.IsCompleted, Is.False, "the next two wait for a turn");
        Assert.That(fifth.IsAcquired, Is.False, "beyond the queue, refused at once");
        Assert.That(fifth.TryGetMetadata(MetadataName.RetryAfter, out _), Is.False, "no window to wait for: the answer says 1 second");
        Assert.That(limiter.AttemptAcquire(Request(null, "192.0.2.9")).IsAcquired, Is.True, "a request that is not an action is not bound");

        first.Dispose();
        using var thirdLease = await third.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.That(thirdLease.IsAcquired, Is.True, "a finished action hands its turn to the oldest waiting");
        Assert.That(fourth.IsCompleted, Is.False);
        second.Dispose();
        using var fourthLease = await fourth.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.That(fourthLease.IsAcquired, Is.True);
    }

    [Test]
    public void The_test_systems_raise_every_rule_there_is()
    {
        var rules = typeof(RateLimitOptions).GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(property => property.PropertyType == typeof(RateLimitRule))
            .Select(property => property.Name);
        Assert.That(RaisedRateLimits.Rules, Is.EquivalentTo(rules));
        Assert.That(RateLimitPolicies.All.Select(policy => new RateLimitOptions().For(policy)), Is.Unique);
    }

    private static ClaimsPrincipal Principal(string sub) =>
        new(new ClaimsIdentity([new Claim("sub", sub)], authenticationType: "Bearer"));

    private static DefaultHttpContext Request(string? sub, string address, string? policy = null)
    {
        var context = new DefaultHttpContext();
        context.Connection.RemoteIpAddress = IPAddress.Parse(address);
        if (sub is not null)
        {
            context.User = Principal(sub);
        }

        if (policy is not null)
        {
            context.SetEndpoint(new Endpoint(_ => Task.CompletedTask, new EndpointMetadataCollection(new EnableRateLimitingAttribute(policy)), "test"));
        }

        return context;
    }
}
