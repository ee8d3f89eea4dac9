using Microsoft.Extensions.Options;

namespace ConcertBooking.ServiceDefaults.Authentication;

/// <summary>The checks of <see cref="ServiceAuthenticationOptions"/>'s attributes, run at start (source-generated).</summary>
[OptionsValidator]
internal sealed partial class ServiceAuthenticationOptionsValidator : IValidateOptions<ServiceAuthenticationOptions>;
