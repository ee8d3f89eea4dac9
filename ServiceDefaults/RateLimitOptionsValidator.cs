using Microsoft.Extensions.Options;

namespace ConcertBooking.ServiceDefaults;

/// <summary>The checks of <see cref="RateLimitOptions"/>, run at start (source-generated).</summary>
[OptionsValidator]
internal sealed partial class RateLimitOptionsValidator : IValidateOptions<RateLimitOptions>;
