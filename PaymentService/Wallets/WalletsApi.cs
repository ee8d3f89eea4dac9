using ConcertBooking.Database;
using ConcertBooking.PaymentService.Data;
using ConcertBooking.ServiceDefaults;
using ConcertBooking.UserReplica;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace ConcertBooking.PaymentService.Wallets;

public static class WalletsApi
{
    public static IEndpointRouteBuilder MapWalletsApi(this IEndpointRouteBuilder app)
    {
        var wallets = app.MapGroup("/wallets").WithTags("Wallets");
        wallets.MapPost("/{userId:guid}/charge", Charge).WithValidation<ChargeWalletRequest>().WithName("ChargeWallet")
            .WithSummary("Add money to the user's wallet (not idempotent: each call adds the amount).");
        wallets.MapGet("/{userId:guid}", GetWallet).WithName("GetWallet");
        return app;
    }

    internal static async Task<Results<Ok<WalletResponse>, ProblemHttpResult>> Charge(
        Guid userId, ChargeWalletRequest request, PaymentDbContext db, TimeProvider time, CancellationToken cancellationToken)
    {
        if (!await db.IsKnownAsync(userId, cancellationToken))
        {
            return KnownUsers.UnknownUser(userId, StatusCodes.Status404NotFound);
        }

        var amount = request.Amount!.Value;
        var now = time.GetUtcNow();
        if (await CreditAsync(db, userId, amount, now, cancellationToken) == 0)
        {
            db.Wallets.Add(new Wallet { UserId = userId, Balance = amount, UpdatedAt = now });
            try
            {
                await db.SaveChangesAsync(cancellationToken);
            }
            catch (DbUpdateException exception) when (exception.IsUniqueViolation())
            {
                // A concurrent first charge created the wallet: add to it instead.
                db.ChangeTracker.Clear();
                await CreditAsync(db, userId, amount, now, cancellationToken);
            }
        }

        return TypedResults.Ok(await DescribeAsync(db, userId, cancellationToken));
    }

    internal static async Task<Results<Ok<WalletResponse>, ProblemHttpResult>> GetWallet(
        Guid userId, PaymentDbContext db, CancellationToken cancellationToken) =>
        await db.IsKnownAsync(userId, cancellationToken)
            ? TypedResults.Ok(await DescribeAsync(db, userId, cancellationToken))
            : KnownUsers.UnknownUser(userId, StatusCodes.Status404NotFound);

    /// <summary>Adds to the balance in one statement, so concurrent credits and debits never lose an update.</summary>
    internal static Task<int> CreditAsync(PaymentDbContext db, Guid userId, decimal amount, DateTimeOffset now, CancellationToken cancellationToken) =>
        db.Wallets.Where(w => w.UserId == userId)
            .ExecuteUpdateAsync(set => set.SetProperty(w => w.Balance, w => w.Balance + amount).SetProperty(w => w.UpdatedAt, now), cancellationToken);

    private static async Task<WalletResponse> DescribeAsync(PaymentDbContext db, Guid userId, CancellationToken cancellationToken) =>
        await db.Wallets.AsNoTracking().Where(w => w.UserId == userId)
            .Select(w => new WalletResponse(w.UserId, w.Balance, w.UpdatedAt)).FirstOrDefaultAsync(cancellationToken)
        ?? new WalletResponse(userId, 0m, null); // a known user without a wallet yet simply has nothing in it
}
