using Microsoft.Extensions.Options;

namespace ConcertBooking.Messaging.RabbitMq;

/// <summary>The annotations of <see cref="RabbitMqOptions"/>, checked at start (source-generated).</summary>
[OptionsValidator]
internal sealed partial class RabbitMqOptionsValidator : IValidateOptions<RabbitMqOptions>;
