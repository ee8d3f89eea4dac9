namespace ConcertBooking.PaymentService.Wallets;

/// <summary>What <see cref="CreditWallet.ChargeAsync"/> did.</summary>
public abstract record ChargeWalletResult
{
    private ChargeWalletResult()
    {
    }

    /// <summary>The amount is in the wallet (opened by this charge if it was the first).</summary>
    public sealed record Charged(Wallet Wallet) : ChargeWalletResult;

    /// <summary>The user is not in this service's replica; nothing was written.</summary>
    public sealed record UnknownUser : ChargeWalletResult;

    /// <summary>This top-up would take the last 24 hours past <paramref name="Limit"/>; <paramref name="Remaining"/> may still be added. Nothing was written.</summary>
    public sealed record DailyLimitReached(decimal Limit, decimal Remaining) : ChargeWalletResult;
}
