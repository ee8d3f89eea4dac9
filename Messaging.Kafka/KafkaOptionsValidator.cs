using Microsoft.Extensions.Options;

namespace ConcertBooking.Messaging.Kafka;

/// <summary>The annotations of <see cref="KafkaOptions"/>, checked at start (source-generated).</summary>
[OptionsValidator]
internal sealed partial class KafkaOptionsValidator : IValidateOptions<KafkaOptions>;
