using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;

namespace ConcertBooking.ServiceDefaults;

/// <summary>
/// A request the framework could not bind (malformed JSON, a body of the wrong shape, too deep, a property twice, a
/// number out of range, an unsupported media type) is the client's error: answer with its 4xx status and a problem
/// document, never a 500. A JSON failure is described by where it is in the body, not by the serializer's message,
/// which names the service's own types.
/// </summary>
internal sealed class BadRequestExceptionHandler(IProblemDetailsService problemDetails) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (exception is not BadHttpRequestException badRequest)
        {
            return false;
        }

        httpContext.Response.StatusCode = badRequest.StatusCode;
        return await problemDetails.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = httpContext,
            Exception = exception,
            ProblemDetails = new ProblemDetails
            {
                Status = badRequest.StatusCode,
                Title = "The request could not be read.",
                Detail = badRequest.InnerException is JsonException json ? Describe(json) : badRequest.InnerException?.Message ?? badRequest.Message,
            },
        });
    }

    private static string Describe(JsonException json) =>
        json.Path is { } path
            ? $"The body is not the JSON this endpoint reads, at {path} (line {json.LineNumber + 1}, byte {json.BytePositionInLine + 1}): malformed, nested too deeply, a property given twice, or a value of the wrong type or out of range."
            : "The body is not the JSON this endpoint reads.";
}
