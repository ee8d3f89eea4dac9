using Microsoft.Extensions.Options;

namespace ConcertBooking.ConcertService.Users;

[OptionsValidator]
internal sealed partial class UserLookupOptionsValidator : IValidateOptions<UserLookupOptions>;
