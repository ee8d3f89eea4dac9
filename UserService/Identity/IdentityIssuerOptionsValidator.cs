using Microsoft.Extensions.Options;

namespace ConcertBooking.UserService.Identity;

/// <summary>The checks of <see cref="IdentityIssuerOptions"/>'s attributes, run at start (source-generated).</summary>
[OptionsValidator]
internal sealed partial class IdentityIssuerOptionsValidator : IValidateOptions<IdentityIssuerOptions>;
