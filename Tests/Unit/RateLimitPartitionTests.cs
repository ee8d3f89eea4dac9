using System.Net;
using System.Reflection;
using System.Security.Claims;
using System.Threading.RateLimiting;
using ConcertBooking.ServiceDefaults;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Time.Testing;

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

    private readonly FakeTimeProvider _time = new(DateTimeOffset.UtcNow);

    private RequestWindows Windows(RateLimitOptions? options = null) =>
        new(Microsoft.Extensions.Options.Options.Create(options ?? Options), new FixedWindows(_time));

    [Test]
    public void A_user_over_the_per_user_limit_is_refused_from_any_address_and_another_user_is_not()
    {
        using var limiter = Windows();
        var alice = Guid.NewGuid().ToString();

        Assert.That(limiter.AttemptAcquire(Request(alice, "192.0.2.1", RateLimitPolicies.Reservation)).IsAcquired, Is.True);
        Assert.That(limiter.AttemptAcquire(Request(alice, "192.0.2.2", RateLimitPolicies.Reservation)).IsAcquired, Is.True);
        using var refused = limiter.AttemptAcquire(Request(alice, "198.51.100.7", RateLimitPolicies.Reservation));

        Assert.That(refused.IsAcquired, Is.False, "the third reservation of the same sub, from a third address");
        Assert.That(refused.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter) && retryAfter > TimeSpan.Zero, Is.True,
            "a refusal says when to retry");
        Assert.That(limiter.AttemptAcquire(Request(Guid.NewGuid().ToString(), "192.0.2.1", RateLimitPolicies.Reservation)).IsAcquired, Is.True,
            "another user");
        Assert.That(limiter.AttemptAcquire(Request(alice, "192.0.2.1", RateLimitPolicies.Payment)).IsAcquired, Is.True,
            "the same user's window of another action");
    }

    [Test]
    public void A_window_gives_its_permits_again_only_when_it_has_ended_and_says_how_long_until_then()
    {
        using var limiter = Windows();
        var alice = Guid.NewGuid().ToString();
        HttpContext Reserve() => Request(alice, "192.0.2.1", RateLimitPolicies.Reservation);
        limiter.AttemptAcquire(Reserve());
        _time.Advance(TimeSpan.FromSeconds(20));
        limiter.AttemptAcquire(Reserve());

        _time.Advance(TimeSpan.FromSeconds(39));
        using var refused = limiter.AttemptAcquire(Reserve());
        Assert.That(refused.IsAcquired, Is.False);
        Assert.That(refused.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter) ? retryAfter : default, Is.EqualTo(TimeSpan.FromSeconds(1)),
            "the window began with the first request, 59 s ago");

        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.That(limiter.AttemptAcquire(Reserve()).IsAcquired, Is.True, "a new window");
        Assert.That(limiter.AttemptAcquire(Reserve()).IsAcquired, Is.True);
        Assert.That(limiter.AttemptAcquire(Reserve()).IsAcquired, Is.False);
    }

    [Test]
    public void Ended_windows_are_forgotten_by_a_sweep_and_running_ones_kept()
    {
        var windows = new FixedWindows(_time);
        for (var i = 0; i < 100; i++)
        {
            windows.Acquire($"short|{i}", 1, TimeSpan.FromSeconds(1));
        }

        windows.Acquire("long", 1, TimeSpan.FromMinutes(5));
        Assert.That(windows.Count, Is.EqualTo(101));

        _time.Advance(FixedWindows.SweepInterval);
        windows.Acquire("another", 1, TimeSpan.FromMinutes(5));

        Assert.That(windows.Count, Is.EqualTo(2), "the long window and the new one");
        Assert.That(windows.Acquire("long", 1, TimeSpan.FromMinutes(5)).IsAcquired, Is.False, "still counting its one permit");
        Assert.That(windows.Acquire("short|7", 1, TimeSpan.FromSeconds(1)).IsAcquired, Is.True);
    }

    [Test]
    public void Requests_racing_for_one_window_get_exactly_its_permits()
    {
        var windows = new FixedWindows(TimeProvider.System);

        var granted = 0;
        Parallel.For(0, 10_000, _ =>
        {
            if (windows.Acquire("race", 100, TimeSpan.FromHours(1)).IsAcquired)
            {
                Interlocked.Increment(ref granted);
            }
        });

        Assert.That(granted, Is.EqualTo(100));
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
        using var limiter = Windows();
        Assert.That(Enumerable.Range(0, 10).All(_ => limiter.AttemptAcquire(Request(null, "192.0.2.1", RateLimitPolicies.Reservation)).IsAcquired), Is.True);
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
        var tight = new RateLimitOptions { Reservation = new RateLimitRule { PermitsPerAddress = 1, PermitsPerUser = 100, Window = TimeSpan.FromMinutes(1) } };
        using var limiter = Windows(tight);
        using var off = Windows(new RateLimitOptions { Enabled = false, Reservation = tight.Reservation });

        Assert.That(RateLimitPartitions.AddressKey(RateLimitPolicies.Reservation, Request(null, "192.0.2.1")), Is.EqualTo("reservation|address|192.0.2.1"));
        Assert.That(limiter.AttemptAcquire(Request(Guid.NewGuid().ToString(), "192.0.2.1", RateLimitPolicies.Reservation)).IsAcquired, Is.True);
        Assert.That(limiter.AttemptAcquire(Request(Guid.NewGuid().ToString(), "192.0.2.1", RateLimitPolicies.Reservation)).IsAcquired, Is.False,
            "a second user from the same address");
        Assert.That(Enumerable.Range(0, 5).All(_ => limiter.AttemptAcquire(Request(null, "192.0.2.1")).IsAcquired), Is.True, "no policy");
        Assert.That(Enumerable.Range(0, 5).All(_ => limiter.AttemptAcquire(Request(null, "192.0.2.1", "some-other-policy")).IsAcquired), Is.True);
        Assert.That(Enumerable.Range(0, 5).All(_ => off.AttemptAcquire(Request(null, "192.0.2.1", RateLimitPolicies.Reservation)).IsAcquired), Is.True,
            "turned off");
    }

    [Test]
    public async Task An_instance_s_actions_share_a_bound_and_wait_their_turn_oldest_first_while_other_requests_do_not()
    {
        using var limiter = PartitionedRateLimiter.Create<HttpContext, string>(context => RateLimitPartitions.InFlight(context, turns: 2, queued: 2));
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
