using Microsoft.Extensions.Options;

namespace ConcertBooking.TokenService.Queue;

[OptionsValidator]
internal sealed partial class QueueOptionsValidator : IValidateOptions<QueueOptions>;
