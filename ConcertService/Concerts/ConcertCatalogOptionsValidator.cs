using Microsoft.Extensions.Options;

namespace ConcertBooking.ConcertService.Concerts;

/// <summary>Descends into every <c>Concerts:Demo</c> entry (<see cref="ValidateEnumeratedItemsAttribute"/>).</summary>
[OptionsValidator]
internal sealed partial class ConcertCatalogOptionsValidator : IValidateOptions<ConcertCatalogOptions>;
