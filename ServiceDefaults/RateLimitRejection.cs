using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.DependencyInjection;

namespace ConcertBooking.ServiceDefaults;

/// <summary>A refused request's answer: 429, a problem document, and <c>Retry-After</c> in seconds from the limiter's lease (1 when it has none).</summary>
internal static class RateLimitRejection
{
    public static async ValueTask WriteAsync(OnRejectedContext rejected, CancellationToken cancellationToken)
    {
        var context = rejected.HttpContext;
        string detail;
        if (rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter))
        {
            var seconds = Math.Max(1, (long)Math.Ceiling(retryAfter.TotalSeconds));
            context.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
            detail = $"Too many requests of this kind from this client or user. Retry after {seconds} seconds.";
        }
        else
        {
            // Only the queue for a turn (Http:MaxQueuedActions) refuses without a window: the service is busy, not the client over a limit.
            context.Response.Headers.RetryAfter = "1";
            detail = "Too many requests are waiting for this service at once. Retry after 1 second.";
        }

        await context.RequestServices.GetRequiredService<IProblemDetailsService>()
            .WriteProblemAsync(context, StatusCodes.Status429TooManyRequests, "Too many requests.", detail);
    }
}
