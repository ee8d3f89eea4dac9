using Microsoft.Extensions.Options;

namespace ConcertBooking.EntryPasses;

/// <summary>The checks of <see cref="EntryPassOptions"/>, run at start (source-generated).</summary>
[OptionsValidator]
internal sealed partial class EntryPassOptionsValidator : IValidateOptions<EntryPassOptions>;
