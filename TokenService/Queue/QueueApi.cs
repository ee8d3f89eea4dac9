using ConcertBooking.Database;
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
            .WithSummary("Enter a concert's waiting queue: 201 with a new token, 200 with the user's existing one.");
        queue.MapGet("/tokens/{tokenId:guid}", GetToken).WithName("GetQueueToken")
            .WithSummary("Waiting with its position, Admitted with a signed entry pass, or Expired.");
        return app;
    }

    internal static async Task<Results<Created<QueueTokenResponse>, Ok<QueueTokenResponse>, ProblemHttpResult>> EnterQueue(
        Guid concertId, EnterQueueRequest request, TokenDbContext db, TimeProvider time, CancellationToken cancellationToken)
    {
        var userId = request.UserId!.Value;
        if (!await db.IsKnownAsync(userId, cancellationToken))
        {
            return KnownUsers.UnknownUser(userId);
        }

        var now = time.GetUtcNow();
        var existing = await db.QueueTokens.FirstOrDefaultAsync(t => t.ConcertId == concertId && t.UserId == userId, cancellationToken);
        if (existing is not null)
        {
            // Entering again keeps the same token. An expired one goes to the back of the queue: the user lost the
            // admission they did not use, not the right to queue.
            if (existing.EffectiveStatus(now) == QueueTokenStatus.Expired)
            {
                existing.Status = QueueTokenStatus.Waiting;
                existing.EnteredAt = now;
                existing.AdmittedAt = null;
                existing.ExpiresAt = null;
                existing.EntryPass = null;
                await db.SaveChangesAsync(cancellationToken);
            }

            return TypedResults.Ok(await DescribeAsync(db, existing, now, cancellationToken));
        }

        var token = new QueueToken
        {
            Id = Guid.CreateVersion7(now),
            ConcertId = concertId,
            UserId = userId,
            Status = QueueTokenStatus.Waiting,
            EnteredAt = now,
        };
        db.QueueTokens.Add(token);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException exception) when (exception.IsUniqueViolation())
        {
            // A concurrent entry of the same user won: answer with its token, as for any repeated entry.
            db.ChangeTracker.Clear();
            var winner = await db.QueueTokens.FirstAsync(t => t.ConcertId == concertId && t.UserId == userId, cancellationToken);
            return TypedResults.Ok(await DescribeAsync(db, winner, now, cancellationToken));
        }

        return TypedResults.Created($"/queue/tokens/{token.Id}", await DescribeAsync(db, token, now, cancellationToken));
    }

    internal static async Task<Results<Ok<QueueTokenResponse>, ProblemHttpResult>> GetToken(
        Guid tokenId, TokenDbContext db, TimeProvider time, CancellationToken cancellationToken) =>
        await db.QueueTokens.AsNoTracking().FirstOrDefaultAsync(t => t.Id == tokenId, cancellationToken) is { } token
            ? TypedResults.Ok(await DescribeAsync(db, token, time.GetUtcNow(), cancellationToken))
            : TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Unknown token", detail: $"There is no queue token {tokenId}.");

    private static async Task<QueueTokenResponse> DescribeAsync(TokenDbContext db, QueueToken token, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var status = token.EffectiveStatus(now);
        int? position = null;
        if (status == QueueTokenStatus.Waiting)
        {
            // 1 = next to be admitted: the waiting tokens of the same concert that entered before this one, plus one.
            position = 1 + await db.QueueTokens.CountAsync(
                t => t.ConcertId == token.ConcertId && t.Status == QueueTokenStatus.Waiting
                     && (t.EnteredAt < token.EnteredAt || (t.EnteredAt == token.EnteredAt && t.Sequence < token.Sequence)),
                cancellationToken);
        }

        var admitted = status == QueueTokenStatus.Admitted;
        return new QueueTokenResponse(token.Id, token.ConcertId, token.UserId, status.ToString(), position,
            admitted ? token.EntryPass : null, admitted || status == QueueTokenStatus.Expired ? token.ExpiresAt : null);
    }
}
