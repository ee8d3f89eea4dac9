using System.Diagnostics;
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
            .RequireRateLimiting(RateLimitPolicies.Payment)
            .WithSummary("Add money to the user's wallet (not idempotent: each call adds the amount).");
        wallets.MapGet("/{userId:guid}", GetWallet).WithName("GetWallet");
        return app;
    }

    internal static async Task<Results<Ok<WalletResponse>, ProblemHttpResult>> Charge(
        Guid userId, ChargeWalletRequest request, CreditWallet credit, CancellationToken cancellationToken) =>
        await credit.ChargeAsync(userId, request.Amount!.Value, cancellationToken) switch
        {
            ChargeWalletResult.Charged(var wallet) => TypedResults.Ok(WalletResponse.From(wallet)),
            ChargeWalletResult.UnknownUser => KnownUsers.UnknownUser(userId, StatusCodes.Status404NotFound),
            var other => throw new UnreachableException($"Unexpected {other}"),
        };

    internal static async Task<Results<Ok<WalletResponse>, ProblemHttpResult>> GetWallet(
        Guid userId, PaymentDbContext db, CancellationToken cancellationToken)
    {
        if (!await db.IsKnownAsync(userId, cancellationToken))
        {
            return KnownUsers.UnknownUser(userId, StatusCodes.Status404NotFound);
        }

        var wallet = await db.Wallets.AsNoTracking().FirstOrDefaultAsync(w => w.UserId == userId, cancellationToken);
        return TypedResults.Ok(wallet is null ? WalletResponse.Empty(userId) : WalletResponse.From(wallet));
    }
}
