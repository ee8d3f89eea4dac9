using System.ComponentModel.DataAnnotations;

namespace ConcertBooking.PaymentService.Wallets;

/// <summary>Bound from <c>Wallets</c>.</summary>
public sealed class WalletOptions
{
    public const string SectionName = "Wallets";

    /// <summary>The largest single charge accepted, so a typo cannot load a fortune (or overflow the column).</summary>
    [Range(typeof(decimal), "0.01", "1000000")]
    public decimal MaxCharge { get; set; } = 1_000m;

    /// <summary>
    /// The most a user may top up in any 24 hours (a rolling window over <c>WalletTopUps</c>). Top-ups mint money in
    /// this system, so even the wallet's owner may not mint without bound. Refunds do not count.
    /// </summary>
    [Range(typeof(decimal), "0.01", "10000000")]
    public decimal DailyTopUpLimit { get; set; } = 2_000m;

    /// <summary>The window <see cref="DailyTopUpLimit"/> applies to.</summary>
    public static readonly TimeSpan TopUpWindow = TimeSpan.FromDays(1);
}
