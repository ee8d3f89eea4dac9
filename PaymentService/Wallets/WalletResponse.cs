namespace ConcertBooking.PaymentService.Wallets;

/// <summary><see cref="UpdatedAt"/> is null for a known user who never charged: no wallet yet, nothing in it.</summary>
public sealed record WalletResponse(Guid UserId, decimal Balance, DateTimeOffset? UpdatedAt)
{
    public static WalletResponse From(Wallet wallet) => new(wallet.UserId, wallet.Balance, wallet.UpdatedAt);

    public static WalletResponse Empty(Guid userId) => new(userId, 0m, null);
}
