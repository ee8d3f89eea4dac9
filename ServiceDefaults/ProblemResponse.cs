using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;

namespace ConcertBooking.ServiceDefaults;

internal static class ProblemResponse
{
    /// <summary>Answers with <paramref name="status"/> and an RFC 7807 problem document, as every error is answered.</summary>
    public static ValueTask WriteProblemAsync(this IProblemDetailsService problems, HttpContext context, int status, string title, string detail)
    {
        context.Response.StatusCode = status;
        return problems.WriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            ProblemDetails = new ProblemDetails { Status = status, Title = title, Detail = detail },
        });
    }
}
