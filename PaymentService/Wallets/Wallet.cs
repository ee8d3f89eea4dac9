namespace ConcertBooking.PaymentService.Wallets;

/// <summary>
/// A user's prepaid balance. Changed only by conditional UPDATEs (<c>Balance = Balance ± amount</c>, a debit with
/// <c>WHERE Balance &gt;= amount</c>), so concurrent payments serialise on the row and can never overdraw it.
/// </summary>
public sealed class Wallet
{
    public Guid UserId { get; set; }

    public decimal Balance { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }

    /// <summary>The wallet a user's first charge creates (empty; the charge then credits it like any other).</summary>
    public static Wallet Open(Guid userId, decimal firstCharge, DateTimeOffset now) =>
        new() { UserId = userId, Balance = firstCharge, UpdatedAt = now };
}
