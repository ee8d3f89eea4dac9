using Microsoft.AspNetCore.Builder;

namespace ConcertBooking.ServiceDefaults;

/// <summary>
/// The rate-limited actions, as ASP.NET Core rate limiter policy names: an endpoint takes one with
/// <c>.RequireRateLimiting(RateLimitPolicies.SignIn)</c> and is then limited per user and per client address by the
/// rule of the same name under <c>RateLimits</c>.
/// </summary>
public static class RateLimitPolicies
{
    public const string SignUp = "sign-up";
    public const string SignIn = "sign-in";
    public const string QueueEntry = "queue-entry";
    public const string Reservation = "reservation";
    public const string Payment = "payment";

    public static readonly IReadOnlyList<string> All = [SignUp, SignIn, QueueEntry, Reservation, Payment];
}
