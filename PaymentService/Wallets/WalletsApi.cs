using System.Diagnostics;
using ConcertBooking.PaymentService.Data;
using ConcertBooking.ServiceDefaults;
using ConcertBooking.ServiceDefaults.Authentication;
using ConcertBooking.UserReplica;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace ConcertBooking.PaymentService.Wallets;

public static class WalletsApi
{
    public static IEndpointRouteBuilder MapWalletsApi(this IEndpointRouteBuilder app)
    {
        var wallets = app.MapGroup("/wallets").WithTags("Wallets");
        wallets.MapPost("/{userId:guid}/charge", Charge).WithValidation<ChargeWalletRequest>().WithName("ChargeWallet").RequireSelf("userId")
            .RequireRateLimiting(RateLimitPolicies.Payment)
            .WithSummary("Add money to the signed-in user's own wallet, within the daily top-up limit (not idempotent: each call adds the amount).");
        wallets.MapGet("/{userId:guid}", GetWallet).WithName("GetWallet").RequireSelf("userId")
            .WithSummary("The signed-in user's own wallet.");
        return app;
    }

    internal static async Task<Results<Ok<WalletResponse>, ProblemHttpResult>> Charge(
        Guid userId, ChargeWalletRequest request, CreditWallet credit, CancellationToken cancellationToken) =>
        await credit.ChargeAsync(userId, request.Amount!.Value, cancellationToken) switch
        {
            ChargeWalletResult.Charged(var wallet) => TypedResults.Ok(WalletResponse.From(wallet)),
            ChargeWalletResult.UnknownUser => KnownUsers.UnknownUser(userId, StatusCodes.Status404NotFound),
            ChargeWalletResult.DailyLimitReached(var limit, var remaining) => TypedResults.Problem(statusCode: StatusCodes.Status409Conflict,
                title: "Daily top-up limit reached",
                detail: $"A wallet takes at most {limit:0.00} of top-ups in any 24 hours (Wallets:DailyTopUpLimit); {remaining:0.00} more is possible now.",
                extensions: new Dictionary<string, object?> { ["limit"] = limit, ["remaining"] = remaining }),
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
