namespace ConcertBooking.PaymentService.Wallets;

/// <summary>One top-up of a wallet by its owner: what the rolling daily limit is summed over, and a record of money minted.</summary>
public sealed class WalletTopUp
{
    public Guid Id { get; set; }

    public Guid UserId { get; set; }

    public decimal Amount { get; set; }

    public DateTimeOffset ChargedAt { get; set; }

    public static WalletTopUp Of(Guid userId, decimal amount, DateTimeOffset now) =>
        new() { Id = Guid.CreateVersion7(now), UserId = userId, Amount = amount, ChargedAt = now };
}
