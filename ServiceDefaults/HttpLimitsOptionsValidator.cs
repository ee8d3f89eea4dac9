using Microsoft.Extensions.Options;

namespace ConcertBooking.ServiceDefaults;

/// <summary>The checks of <see cref="HttpLimitsOptions"/>, run at start (source-generated).</summary>
[OptionsValidator]
internal sealed partial class HttpLimitsOptionsValidator : IValidateOptions<HttpLimitsOptions>;
