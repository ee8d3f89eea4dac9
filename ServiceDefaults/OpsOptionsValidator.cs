using Microsoft.Extensions.Options;

namespace ConcertBooking.ServiceDefaults;

/// <summary>The checks of <see cref="OpsOptions"/>'s attributes, run at start (source-generated).</summary>
[OptionsValidator]
internal sealed partial class OpsOptionsValidator : IValidateOptions<OpsOptions>;
