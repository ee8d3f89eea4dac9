using System.Buffers;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;

namespace ConcertBooking.ServiceDefaults;

/// <summary>
/// Refuses a request body over <c>Http:MaxRequestBodyBytes</c> with 413 and a problem document, before anything parses
/// it. A declared length is judged at once; a body without one (chunked) is read up to one byte past the limit into
/// memory and handed on from there. Kestrel is told the limit as well, but this does not depend on it: the in-process
/// test server has no such limit, and the two must behave alike.
/// </summary>
internal sealed class RequestBodyLimitMiddleware(RequestDelegate next, IOptions<HttpLimitsOptions> options, IProblemDetailsService problems)
{
    public async Task InvokeAsync(HttpContext context)
    {
        var limit = options.Value.MaxRequestBodyBytes;
        var request = context.Request;
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } serverLimit)
        {
            serverLimit.MaxRequestBodySize = limit;
        }

        if (request.ContentLength > limit)
        {
            await RefuseAsync(context, limit);
            return;
        }

        if (request.ContentLength is null && context.Features.Get<IHttpRequestBodyDetectionFeature>() is not { CanHaveBody: false })
        {
            var body = await ReadAtMostAsync(request.Body, limit, context.RequestAborted);
            if (body is null)
            {
                await RefuseAsync(context, limit);
                return;
            }

            request.Body = body;
            context.Response.RegisterForDispose(body);
        }

        await next(context);
    }

    private ValueTask RefuseAsync(HttpContext context, long limit)
    {
        // The rest of the body stays unread, and Kestrel drops a connection it cannot drain: said up front, a client
        // opens a new connection for its next request instead of sending it into this one as it closes.
        context.Response.Headers.Connection = "close";
        return problems.WriteProblemAsync(context, StatusCodes.Status413PayloadTooLarge, "The request body is too large.",
            $"A request body may have at most {limit} bytes.");
    }

    /// <returns>The body, or null when it has more than <paramref name="limit"/> bytes.</returns>
    private static async Task<MemoryStream?> ReadAtMostAsync(Stream source, long limit, CancellationToken cancellationToken)
    {
        var body = new MemoryStream();
        var buffer = ArrayPool<byte>.Shared.Rent(4096);
        try
        {
            int read;
            while ((read = await source.ReadAsync(buffer, cancellationToken)) > 0)
            {
                if (body.Length + read > limit)
                {
                    await body.DisposeAsync();
                    return null;
                }

                body.Write(buffer, 0, read);
            }
        }
        catch (BadHttpRequestException exception) when (exception.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            // Kestrel enforcing the same limit first.
            await body.DisposeAsync();
            return null;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }

        body.Position = 0;
        return body;
    }
}
