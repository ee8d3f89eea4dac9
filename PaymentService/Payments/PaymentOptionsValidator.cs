using Microsoft.Extensions.Options;

namespace ConcertBooking.PaymentService.Payments;

[OptionsValidator]
internal sealed partial class PaymentOptionsValidator : IValidateOptions<PaymentOptions>;
