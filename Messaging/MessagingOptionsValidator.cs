using Microsoft.Extensions.Options;

namespace ConcertBooking.Messaging;

/// <summary>Checks the whole <c>Messaging</c> section at start, nested sections included (source-generated).</summary>
[OptionsValidator]
internal sealed partial class MessagingOptionsValidator : IValidateOptions<MessagingOptions>;
