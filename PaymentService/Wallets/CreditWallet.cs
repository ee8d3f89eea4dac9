using ConcertBooking.Database;
using ConcertBooking.PaymentService.Data;
using ConcertBooking.UserReplica;
using Microsoft.EntityFrameworkCore;

namespace ConcertBooking.PaymentService.Wallets;

/// <summary>Adds money to a wallet: a user's top-up, or a refund of a payment.</summary>
public sealed class CreditWallet(PaymentDbContext db, TimeProvider time)
{
    /// <summary>A top-up, for a user this replica knows; the first one opens the wallet.</summary>
    public async Task<ChargeWalletResult> ChargeAsync(Guid userId, decimal amount, CancellationToken cancellationToken)
    {
        if (!await db.IsKnownAsync(userId, cancellationToken))
        {
            return new ChargeWalletResult.UnknownUser();
        }

        var now = time.GetUtcNow();
        if (!await CreditAsync(userId, amount, now, cancellationToken))
        {
            db.Wallets.Add(Wallet.Open(userId, amount, now));
            try
            {
                await db.SaveChangesAsync(cancellationToken);
            }
            catch (DbUpdateException exception) when (exception.IsUniqueViolation())
            {
                // A concurrent first charge created the wallet: add to it instead.
                db.ChangeTracker.Clear();
                await CreditAsync(userId, amount, now, cancellationToken);
            }
        }

        return new ChargeWalletResult.Charged(await db.Wallets.AsNoTracking().FirstAsync(w => w.UserId == userId, cancellationToken));
    }

    /// <summary>
    /// Adds to an existing wallet in one statement, so concurrent credits and debits never lose an update; in the
    /// caller's transaction, if it has one. False when the user has no wallet.
    /// </summary>
    public async Task<bool> CreditAsync(Guid userId, decimal amount, DateTimeOffset now, CancellationToken cancellationToken) =>
        await db.Wallets.Where(w => w.UserId == userId)
            .ExecuteUpdateAsync(set => set.SetProperty(w => w.Balance, w => w.Balance + amount).SetProperty(w => w.UpdatedAt, now), cancellationToken) == 1;
}
