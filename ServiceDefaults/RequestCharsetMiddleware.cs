using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;
using Microsoft.Net.Http.Headers;

namespace ConcertBooking.ServiceDefaults;

/// <summary>
/// Bodies are read as UTF-8 and nothing else. A <c>Content-Type</c> that names another charset, or one that cannot be
/// parsed, gets 415 with a problem document; <c>charset="utf-8"</c>, quoted or in any case, is UTF-8 and is passed on
/// spelled the way the framework's JSON reader understands (it takes a quoted charset for an unknown encoding and
/// answers 500).
/// </summary>
internal sealed class RequestCharsetMiddleware(RequestDelegate next, IProblemDetailsService problems)
{
    public async Task InvokeAsync(HttpContext context)
    {
        var contentType = context.Request.ContentType;
        if (string.IsNullOrEmpty(contentType))
        {
            await next(context);
            return;
        }

        if (!MediaTypeHeaderValue.TryParse(contentType, out var mediaType))
        {
            await RefuseAsync(context, "The Content-Type header could not be parsed.");
            return;
        }

        if (mediaType.Charset.HasValue)
        {
            var charset = HeaderUtilities.RemoveQuotes(mediaType.Charset);
            if (!IsUtf8(charset))
            {
                await RefuseAsync(context, "Request bodies are read as UTF-8 only: send charset=utf-8 or no charset.");
                return;
            }

            if (!StringSegment.Equals(mediaType.Charset, "utf-8", StringComparison.Ordinal))
            {
                mediaType.Charset = "utf-8";
                context.Request.ContentType = mediaType.ToString();
            }
        }

        await next(context);
    }

    private static bool IsUtf8(StringSegment charset) =>
        StringSegment.Equals(charset, "utf-8", StringComparison.OrdinalIgnoreCase)
        || StringSegment.Equals(charset, "utf8", StringComparison.OrdinalIgnoreCase);

    private ValueTask RefuseAsync(HttpContext context, string detail) =>
        problems.WriteProblemAsync(context, StatusCodes.Status415UnsupportedMediaType, "Unsupported media type.", detail);
}
