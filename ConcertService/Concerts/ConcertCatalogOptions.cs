using Microsoft.Extensions.Options;

namespace ConcertBooking.ConcertService.Concerts;

/// <summary>Bound from <c>Concerts</c>: the demo concerts seeded at start (missing concerts and seats are added).</summary>
public sealed class ConcertCatalogOptions
{
    public const string SectionName = "Concerts";

    [ValidateEnumeratedItems]
    public List<DemoConcert> Demo { get; set; } = [];
}
