namespace ConcertBooking.ServiceDefaults;

/// <summary>
/// Bound from <c>ForwardedHeaders</c>: the reverse proxies whose <c>X-Forwarded-For</c> and <c>X-Forwarded-Proto</c> are
/// believed. Empty (the default) believes no one, so a client cannot pick the address it is rate-limited by; behind a
/// proxy, list the proxy here, or every client shares the proxy's address and its limits.
/// </summary>
public sealed class ForwardedHeadersSettings
{
    public const string SectionName = "ForwardedHeaders";

    /// <summary>Addresses (<c>10.0.0.5</c>) or networks in CIDR notation (<c>10.0.0.0/24</c>) of the trusted proxies.</summary>
    public List<string> KnownProxies { get; set; } = [];
}
