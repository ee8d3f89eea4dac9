using ConcertBooking.PaymentService.Data;
using Microsoft.EntityFrameworkCore;

namespace ConcertBooking.PaymentService.Wallets;

/// <summary>Takes money out of a wallet, never below zero.</summary>
public sealed class DebitWallet(PaymentDbContext db)
{
    /// <summary>
    /// The balance check is part of the UPDATE: a concurrent debit waits for the row lock and then re-checks the
    /// balance, so the wallet can never go below zero. False when the balance is short (or there is no wallet).
    /// </summary>
    public async Task<bool> DebitAsync(Guid userId, decimal amount, DateTimeOffset now, CancellationToken cancellationToken) =>
        await db.Wallets.Where(w => w.UserId == userId && w.Balance >= amount)
            .ExecuteUpdateAsync(set => set.SetProperty(w => w.Balance, w => w.Balance - amount).SetProperty(w => w.UpdatedAt, now), cancellationToken) == 1;
}
