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
    /// Whether the replica knows the user and, if so, whether their wallet is open: null for an unknown user. One round
    /// trip for both questions, compiled once, as the top-up's other reads are: EF Core otherwise prepares each query
    /// again on every call.
    /// </summary>
    private static readonly CompiledPerModel<Func<PaymentDbContext, Guid, CancellationToken, Task<bool?>>> CheckTopUp = new(() =>
        EF.CompileAsyncQuery(KnownUsers.WithKnownUserRule<Func<PaymentDbContext, Guid, CancellationToken, bool?>>(
            (db, userId, _) => db.Users
                .Where(u => u.IsKnownAs(userId))
                .Select(u => (bool?)db.Wallets.Any(w => w.UserId == userId))
                .FirstOrDefault())));

    private static readonly CompiledPerModel<Func<PaymentDbContext, Guid, DateTimeOffset, CancellationToken, Task<decimal>>> ToppedUpSince = new(() =>
        EF.CompileAsyncQuery((PaymentDbContext db, Guid userId, DateTimeOffset since, CancellationToken _) =>
            db.WalletTopUps.Where(t => t.UserId == userId && t.ChargedAt > since).Sum(t => t.Amount)));

    private static readonly CompiledPerModel<Func<PaymentDbContext, Guid, CancellationToken, Task<Wallet>>> WalletOf = new(() =>
        EF.CompileAsyncQuery((PaymentDbContext db, Guid userId, CancellationToken _) =>
            db.Wallets.AsNoTracking().First(w => w.UserId == userId)));

    /// <summary>
    /// A top-up by the wallet's owner, for a user this replica knows; the first one opens the wallet. The credit takes
    /// the wallet's row lock, so a user's concurrent top-ups take turns and each sums the window with the others
    /// committed: together they can never pass <c>Wallets:DailyTopUpLimit</c> in any 24 hours.
    /// </summary>
    public async Task<ChargeWalletResult> ChargeAsync(Guid userId, decimal amount, CancellationToken cancellationToken)
    {
        if (await CheckTopUp.For(db)(db, userId, cancellationToken) is not { } walletOpen)
        {
            return new ChargeWalletResult.UnknownUser();
        }

        var now = time.GetUtcNow();
        var limit = options.Value.DailyTopUpLimit;
        if (!walletOpen)
        {
            await OpenWalletAsync(userId, now, cancellationToken);
        }

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await CreditAsync(userId, amount, now, cancellationToken);
        db.WalletTopUps.Add(WalletTopUp.Of(userId, amount, now));
        await db.SaveChangesAsync(cancellationToken);
        var toppedUp = await ToppedUpSince.For(db)(db, userId, now - WalletOptions.TopUpWindow, cancellationToken);
        if (toppedUp > limit)
        {
            await transaction.RollbackAsync(cancellationToken);
            return new ChargeWalletResult.DailyLimitReached(limit, Math.Max(0, limit - (toppedUp - amount)));
        }

        await transaction.CommitAsync(cancellationToken);
        return new ChargeWalletResult.Charged(await WalletOf.For(db)(db, userId, cancellationToken));
    }

    /// <summary>
    /// Adds to an existing wallet in one statement, so concurrent credits and debits never lose an update; in the
    /// caller's transaction, if it has one. False when the user has no wallet.
    /// </summary>
    public async Task<bool> CreditAsync(Guid userId, decimal amount, DateTimeOffset now, CancellationToken cancellationToken) =>
        await db.Wallets.Where(w => w.UserId == userId)
            .ExecuteUpdateAsync(set => set.SetProperty(w => w.Balance, w => w.Balance + amount).SetProperty(w => w.UpdatedAt, now), cancellationToken) == 1;

    /// <summary>An empty wallet for the user's first top-up (a concurrent first top-up may open it instead).</summary>
    private async Task OpenWalletAsync(Guid userId, DateTimeOffset now, CancellationToken cancellationToken)
    {
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
