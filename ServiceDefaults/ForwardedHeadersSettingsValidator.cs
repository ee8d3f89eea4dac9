using System.Net;
using Microsoft.Extensions.Options;

namespace ConcertBooking.ServiceDefaults;

/// <summary>Every known proxy must parse as an address or a CIDR network, or the service does not start.</summary>
internal sealed class ForwardedHeadersSettingsValidator : IValidateOptions<ForwardedHeadersSettings>
{
    public ValidateOptionsResult Validate(string? name, ForwardedHeadersSettings options)
    {
        var failures = options.KnownProxies
            .Select((proxy, index) => (proxy, index))
            .Where(entry => !IPAddress.TryParse(entry.proxy, out _) && !IPNetwork.TryParse(entry.proxy, out _))
            .Select(entry => $"{ForwardedHeadersSettings.SectionName}:KnownProxies:{entry.index} ('{entry.proxy}') is neither an IP address nor a CIDR network.")
            .ToList();
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
