using Microsoft.Extensions.Options;

namespace ConcertBooking.ServiceDefaults;

/// <summary>
/// Bound from <c>RateLimits</c>: how often a client may sign up, sign in, enter a queue, reserve and pay. The defaults
/// suit a person at a browser, several behind one NAT, and a retrying client; a load test raises them or turns them off.
/// </summary>
public sealed class RateLimitOptions
{
    public const string SectionName = "RateLimits";

    /// <summary>False turns every limit off (a load test, or a gateway in front that limits instead).</summary>
    public bool Enabled { get; set; } = true;

    [ValidateObjectMembers]
    public RateLimitRule SignUp { get; set; } = new() { PermitsPerAddress = 10, PermitsPerUser = 5, Window = TimeSpan.FromMinutes(10) };

    [ValidateObjectMembers]
    public RateLimitRule SignIn { get; set; } = new() { PermitsPerAddress = 30, PermitsPerUser = 10, Window = TimeSpan.FromMinutes(5) };

    [ValidateObjectMembers]
    public RateLimitRule QueueEntry { get; set; } = new() { PermitsPerAddress = 60, PermitsPerUser = 10, Window = TimeSpan.FromMinutes(1) };

    [ValidateObjectMembers]
    public RateLimitRule Reservation { get; set; } = new() { PermitsPerAddress = 60, PermitsPerUser = 20, Window = TimeSpan.FromMinutes(1) };

    [ValidateObjectMembers]
    public RateLimitRule Payment { get; set; } = new() { PermitsPerAddress = 60, PermitsPerUser = 20, Window = TimeSpan.FromMinutes(1) };

    /// <summary>The rule of a policy named in <see cref="RateLimitPolicies"/>.</summary>
    public RateLimitRule For(string policy) => policy switch
    {
        RateLimitPolicies.SignUp => SignUp,
        RateLimitPolicies.SignIn => SignIn,
        RateLimitPolicies.QueueEntry => QueueEntry,
        RateLimitPolicies.Reservation => Reservation,
        RateLimitPolicies.Payment => Payment,
        _ => throw new ArgumentOutOfRangeException(nameof(policy), policy, "Not a rate limit policy."),
    };
}
