using Microsoft.Extensions.Options;

namespace ConcertBooking.Database;

[OptionsValidator]
internal sealed partial class DatabaseOptionsValidator : IValidateOptions<DatabaseOptions>;
