using ConcertBooking.Messaging.Diagnostics;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;

namespace ConcertBooking.Messaging.Operations;

/// <summary>The operator's view of this service's messaging: backlog, lag, failures, dead letters and replay.</summary>
public static class MessagingOps
{
    public static RouteGroupBuilder MapMessagingOps(this RouteGroupBuilder ops)
    {
        ops.MapGet("/outbox", (IOutboxStatusReader outbox, CancellationToken ct) => outbox.ReadAsync(ct))
            .WithSummary("Pending and failing outbox messages.");
        ops.MapGet("/dead-letters", (IDeadLetters deadLetters, CancellationToken ct, int max = 100) =>
                deadLetters.ListAsync(Math.Clamp(max, 1, 1000), ct))
            .WithSummary("Messages that failed every retry, with the reason.");
        ops.MapPost("/dead-letters/replay", async (IDeadLetters deadLetters, CancellationToken ct) =>
                TypedResults.Ok(new ReplayResult(await deadLetters.ReplayAsync(null, ct))))
            .WithSummary("Send every dead letter back to the queue it failed on.");
        ops.MapPost("/dead-letters/{messageId:guid}/replay", ReplayOne)
            .WithSummary("Send one dead letter back to the queue it failed on.");
        ops.MapGet("/status.json", StatusAsync).WithSummary("What the status page shows.");
        // The page alone holds no data: it asks for the key and sends it in the header of its status.json requests.
        ops.MapGet("/status", () => TypedResults.Content(StatusPage.Html, "text/html; charset=utf-8"))
            .AllowAnonymous()
            .WithSummary("A live status page (backlog, delivery lag, recent failures) that asks for the operations key and keeps it in the tab's session.");
        return ops;
    }

    private static async Task<Results<Ok<ReplayResult>, ProblemHttpResult>> ReplayOne(
        Guid messageId, IDeadLetters deadLetters, CancellationToken cancellationToken)
    {
        var replayed = await deadLetters.ReplayAsync(messageId, cancellationToken);
        return replayed > 0
            ? TypedResults.Ok(new ReplayResult(replayed))
            : TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "No such dead letter",
                detail: $"No dead letter with message id {messageId} in this service's error queues.");
    }

    private static async Task<ServiceStatus> StatusAsync(
        IOutboxStatusReader outbox, RecentActivity activity, IDeadLetters deadLetters, IOptions<MessagingOptions> options,
        TimeProvider timeProvider, CancellationToken cancellationToken)
    {
        IReadOnlyList<DeadLetter> letters = [];
        string? deadLettersError = null;
        try
        {
            letters = await deadLetters.ListAsync(50, cancellationToken);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            // The page must still render when the broker is the thing that is down.
            deadLettersError = exception.Message;
        }

        return new ServiceStatus(options.Value.ServiceName, timeProvider.GetUtcNow(), await outbox.ReadAsync(cancellationToken),
            activity.Lag(), activity.RecentFailures, letters, deadLettersError);
    }
}
