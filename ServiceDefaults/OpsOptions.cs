using System.ComponentModel.DataAnnotations;

namespace ConcertBooking.ServiceDefaults;

/// <summary>Bound from <c>Ops</c>: the operators' key. Unset, the ops API does not exist and nobody is an operator.</summary>
public sealed class OpsOptions
{
    public const string SectionName = "Ops";

    /// <summary>Outside Development at least <see cref="MinimumKeyLength"/> characters; sent in <c>X-Api-Key</c>, never in a URL.</summary>
    [MaxLength(500)]
    public string? ApiKey { get; set; }

    public const int MinimumKeyLength = 32;
}
