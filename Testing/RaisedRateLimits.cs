namespace ConcertBooking.Testing;

/// <summary>
/// Rate limits (<c>RateLimits:...</c>) far above anything a test or the bench sends: every request of a system under
/// test, and of a load test, comes from one address, so the deployed limits would refuse most of them. The limiter
/// stays on, so its middleware still runs on every request as deployed.
/// </summary>
public static class RaisedRateLimits
{
    /// <summary>The rules under <c>RateLimits</c>, as <c>RateLimitOptions</c> names them (a unit test keeps the two in step).</summary>
    public static readonly IReadOnlyList<string> Rules = ["SignUp", "SignIn", "QueueEntry", "Reservation", "Payment"];

    public const int Permits = 1_000_000_000;

    public static IReadOnlyList<KeyValuePair<string, string>> Settings() =>
    [
        .. Rules.SelectMany(rule => new KeyValuePair<string, string>[]
        {
            new($"RateLimits:{rule}:PermitsPerAddress", Permits.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            new($"RateLimits:{rule}:PermitsPerUser", Permits.ToString(System.Globalization.CultureInfo.InvariantCulture)),
        }),
    ];
}
