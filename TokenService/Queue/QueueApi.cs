using System.Diagnostics;
using ConcertBooking.ServiceDefaults;
using ConcertBooking.TokenService.Data;
using ConcertBooking.UserReplica;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace ConcertBooking.TokenService.Queue;

public static class QueueApi
{
    public static IEndpointRouteBuilder MapQueueApi(this IEndpointRouteBuilder app)
    {
        var queue = app.MapGroup("/queue").WithTags("Waiting queue");
        queue.MapPost("/{concertId:guid}/tokens", EnterQueue).WithValidation<EnterQueueRequest>().WithName("EnterQueue")
            .RequireRateLimiting(RateLimitPolicies.QueueEntry)
            .WithSummary("Enter a concert's waiting queue: 201 with a new token, 200 with the user's existing one.");
        queue.MapGet("/tokens/{tokenId:guid}", GetToken).WithName("GetQueueToken")
            .WithSummary("Waiting with its position, Admitted with a signed entry pass, or Expired.");
        return app;
    }

    internal static async Task<Results<Created<QueueTokenResponse>, Ok<QueueTokenResponse>, ProblemHttpResult>> EnterQueue(
        Guid concertId, EnterQueueRequest request, EnterQueue enter, CancellationToken cancellationToken)
    {
        var userId = request.UserId!.Value;
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

    internal static async Task<Results<Ok<QueueTokenResponse>, ProblemHttpResult>> GetToken(
        Guid tokenId, TokenDbContext db, TimeProvider time, CancellationToken cancellationToken) =>
        await db.QueueTokens.AsNoTracking().FirstOrDefaultAsync(t => t.Id == tokenId, cancellationToken) is { } token
            ? TypedResults.Ok(QueueTokenResponse.From(await db.StandingAsync(token, time.GetUtcNow(), cancellationToken)))
            : TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Unknown token", detail: $"There is no queue token {tokenId}.");
}
