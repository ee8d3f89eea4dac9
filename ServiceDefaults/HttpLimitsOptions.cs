using System.ComponentModel.DataAnnotations;

namespace ConcertBooking.ServiceDefaults;

/// <summary>
/// Bound from <c>Http</c>: what a request may be at most. The APIs take bodies of a few hundred bytes; anything much
/// larger is a mistake or an attack, and is refused before any of it is parsed.
/// </summary>
public sealed class HttpLimitsOptions
{
    public const string SectionName = "Http";

    /// <summary>The largest request body, in bytes, whether its length is declared or it comes chunked: 413 above it.</summary>
    [Range(1024, 10 * 1024 * 1024)]
    public long MaxRequestBodyBytes { get; set; } = 8 * 1024;

    /// <summary>How deeply a JSON body may nest objects and arrays: 400 deeper.</summary>
    [Range(2, 64)]
    public int MaxJsonDepth { get; set; } = 16;
}
