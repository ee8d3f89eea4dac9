using ConcertBooking.Database;
using ConcertBooking.PaymentService.Data;
using ConcertBooking.UserReplica;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace ConcertBooking.PaymentService.Wallets;

/// <summary>Adds money to a wallet: a user's top-up, within the daily limit, or a refund of a payment.</summary>
public sealed class CreditWallet(PaymentDbContext db, IOptions<WalletOptions> options, TimeProvider time)
{
    /// <summary>
    /// A top-up by the wallet's owner, for a user this replica knows; the first one opens the wallet. The credit takes
    /// the wallet's row lock, so a user's concurrent top-ups take turns and each sums the window with the others
    /// committed: together they can never pass <c>Wallets:DailyTopUpLimit</c> in any 24 hours.
    /// </summary>
    public async Task<ChargeWalletResult> ChargeAsync(Guid userId, decimal amount, CancellationToken cancellationToken)
    {
        if (!await db.IsKnownAsync(userId, cancellationToken))
        {
            return new ChargeWalletResult.UnknownUser();
        }

        var now = time.GetUtcNow();
        var limit = options.Value.DailyTopUpLimit;
        await EnsureWalletAsync(userId, now, cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await CreditAsync(userId, amount, now, cancellationToken);
        db.WalletTopUps.Add(WalletTopUp.Of(userId, amount, now));
        await db.SaveChangesAsync(cancellationToken);
        var since = now - WalletOptions.TopUpWindow;
        var toppedUp = await db.WalletTopUps.Where(t => t.UserId == userId && t.ChargedAt > since).SumAsync(t => t.Amount, cancellationToken);
        if (toppedUp > limit)
        {
            await transaction.RollbackAsync(cancellationToken);
            return new ChargeWalletResult.DailyLimitReached(limit, Math.Max(0, limit - (toppedUp - amount)));
        }

        await transaction.CommitAsync(cancellationToken);
        return new ChargeWalletResult.Charged(await db.Wallets.AsNoTracking().FirstAsync(w => w.UserId == userId, cancellationToken));
    }

    /// <summary>
    /// Adds to an existing wallet in one statement, so concurrent credits and debits never lose an update; in the
    /// caller's transaction, if it has one. False when the user has no wallet.
    /// </summary>
    public async Task<bool> CreditAsync(Guid userId, decimal amount, DateTimeOffset now, CancellationToken cancellationToken) =>
        await db.Wallets.Where(w => w.UserId == userId)
            .ExecuteUpdateAsync(set => set.SetProperty(w => w.Balance, w => w.Balance + amount).SetProperty(w => w.UpdatedAt, now), cancellationToken) == 1;

    /// <summary>An empty wallet for the user's first top-up (a concurrent first top-up may open it instead).</summary>
    private async Task EnsureWalletAsync(Guid userId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (await db.Wallets.AnyAsync(w => w.UserId == userId, cancellationToken))
        {
            return;
        }

        db.Wallets.Add(Wallet.Open(userId, 0m, now));
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException exception) when (exception.IsUniqueViolation())
        {
        }
        finally
        {
            db.ChangeTracker.Clear();
        }
    }
}
