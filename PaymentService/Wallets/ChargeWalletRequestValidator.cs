using FluentValidation;
using Microsoft.Extensions.Options;

namespace ConcertBooking.PaymentService.Wallets;

public sealed class ChargeWalletRequestValidator : AbstractValidator<ChargeWalletRequest>
{
    public ChargeWalletRequestValidator(IOptions<WalletOptions> options)
    {
        var max = options.Value.MaxCharge;
        RuleFor(r => r.Amount).NotNull().WithMessage("Amount is required.")
            .GreaterThan(0m).WithMessage("Amount must be positive.")
            .LessThanOrEqualTo(max).WithMessage($"Amount must be at most {max:0.00}.")
            .Must(amount => amount is null || decimal.Round(amount.Value, 2) == amount.Value)
            .WithMessage("Amount must have at most two decimal places.");
    }
}
