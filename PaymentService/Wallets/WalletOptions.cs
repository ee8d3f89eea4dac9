using System.ComponentModel.DataAnnotations;

namespace ConcertBooking.PaymentService.Wallets;

/// <summary>Bound from <c>Wallets</c>.</summary>
public sealed class WalletOptions
{
    public const string SectionName = "Wallets";

    /// <summary>The largest single charge accepted, so a typo cannot load a fortune (or overflow the column).</summary>
    [Range(typeof(decimal), "0.01", "1000000")]
    public decimal MaxCharge { get; set; } = 10_000m;
}
