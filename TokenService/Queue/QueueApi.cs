using System.Diagnostics;
using System.Security.Claims;
using ConcertBooking.Database;
using ConcertBooking.ServiceDefaults;
using ConcertBooking.ServiceDefaults.Authentication;
using ConcertBooking.TokenService.Data;
using ConcertBooking.UserReplica;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace ConcertBooking.TokenService.Queue;

public static class QueueApi
{
    public static IEndpointRouteBuilder MapQueueApi(this IEndpointRouteBuilder app)
    {
        var queue = app.MapGroup("/queue").WithTags("Waiting queue").RequireAuthorization();
        queue.MapPost("/{concertId:guid}/tokens", EnterQueue).WithName("EnterQueue")
            .RequireRateLimiting(RateLimitPolicies.QueueEntry)
            .WithSummary("Put the signed-in user in a concert's waiting queue (no body): 201 with a new token (already Admitted, with its entry pass, when nobody waits and the admission rate has room), 200 with their existing one.");
        queue.MapGet("/tokens/{tokenId:guid}", GetToken).WithName("GetQueueToken")
            .WithSummary("One of the signed-in user's tokens: Waiting with its position, Admitted with a signed entry pass, or Expired; another user's is 404.");
        return app;
    }

    internal static async Task<Results<Created<QueueTokenResponse>, Ok<QueueTokenResponse>, ProblemHttpResult>> EnterQueue(
        Guid concertId, ClaimsPrincipal caller, EnterQueue enter, CancellationToken cancellationToken)
    {
        var userId = caller.UserId();
        return await enter.EnterAsync(concertId, userId, cancellationToken) switch
        {
            EnterQueueResult.Entered(var standing) => TypedResults.Created($"/queue/tokens/{standing.Token.Id}", QueueTokenResponse.From(standing)),
            EnterQueueResult.AlreadyQueued(var standing) => TypedResults.Ok(QueueTokenResponse.From(standing)),
            EnterQueueResult.UnknownUser => KnownUsers.UnknownUser(userId),
            EnterQueueResult.UnknownConcert => TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Unknown concert",
                detail: $"Concert {concertId} is unknown here: ConcertService has not announced it (it does not exist, or was added moments ago)."),
            var other => throw new UnreachableException($"Unexpected {other}"),
        };
    }

    /// <summary>Compiled once: a waiting buyer polls this, and EF Core would otherwise re-read and look up the query each time.</summary>
    private static readonly CompiledPerModel<Func<TokenDbContext, Guid, Guid, CancellationToken, Task<QueueToken?>>> UsersToken = new(() =>
        EF.CompileAsyncQuery((TokenDbContext db, Guid tokenId, Guid userId, CancellationToken _) =>
            db.QueueTokens.AsNoTracking().FirstOrDefault(t => t.Id == tokenId && t.UserId == userId)));

    internal static async Task<Results<Ok<QueueTokenResponse>, ProblemHttpResult>> GetToken(
        Guid tokenId, ClaimsPrincipal caller, TokenDbContext db, TimeProvider time, CancellationToken cancellationToken)
    {
        // Another user's token (and its entry pass) is answered as an unknown one.
        var userId = caller.UserId();
        return await UsersToken.For(db)(db, tokenId, userId, cancellationToken) is { } token
            ? TypedResults.Ok(QueueTokenResponse.From(await db.StandingAsync(token, time.GetUtcNow(), cancellationToken)))
            : TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Unknown token", detail: $"You have no queue token {tokenId}.");
    }
}
