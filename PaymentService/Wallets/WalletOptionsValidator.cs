using Microsoft.Extensions.Options;

namespace ConcertBooking.PaymentService.Wallets;

[OptionsValidator]
internal sealed partial class WalletOptionsValidator : IValidateOptions<WalletOptions>;
