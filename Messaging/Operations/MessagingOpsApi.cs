using ConcertBooking.Messaging.Diagnostics;
using ConcertBooking.Messaging.Outbox;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace ConcertBooking.Messaging.Operations;

/// <summary>The operator's view of this service's messaging: backlog, lag, failures, dead letters and replay.</summary>
public static class MessagingOps
{
    public static RouteGroupBuilder MapMessagingOps(this RouteGroupBuilder ops)
    {
        ops.MapGet("/outbox", (IOutboxStatusReader outbox, CancellationToken ct) => outbox.ReadAsync(ct))
            .WithSummary("Pending, failing and parked outbox messages.");
        ops.MapGet("/outbox/parked", (IParkedOutboxMessages parked, CancellationToken ct, int max = 100) =>
                parked.ListAsync(Math.Clamp(max, 1, 1000), ct))
            .WithSummary("Outbox messages the broker kept refusing, oldest first: each holds back its key's later events.");
        ops.MapPost("/outbox/parked/retry", async (IParkedOutboxMessages parked, CancellationToken ct) =>
                TypedResults.Ok(new ParkedResult(await parked.RetryAsync(null, ct))))
            .WithSummary("Hand every parked outbox message back to the relay, attempts counted anew (say, once the missing consumer runs).");
        ops.MapPost("/outbox/parked/{messageId:guid}/retry", RetryParked)
            .WithSummary("Hand one parked outbox message back to the relay, attempts counted anew.");
        ops.MapPost("/outbox/parked/{messageId:guid}/discard", DiscardParked)
            .WithSummary("Give up on a parked outbox message: kept with the reason, never published, its key's later events released.");
        ops.MapGet("/dead-letters", ListDeadLetters)
            .WithSummary("Messages that failed every retry, with the reason.");
        ops.MapPost("/dead-letters/replay", ReplayAll)
            .WithSummary("Send every dead letter back to the queue it failed on.");
        ops.MapPost("/dead-letters/{messageId:guid}/replay", ReplayOne)
            .WithSummary("Send one dead letter back to the queue it failed on.");
        ops.MapGet("/status.json", StatusAsync).WithSummary("What the status page shows.");
        // The page alone holds no data: it asks for the key and sends it in the header of its status.json requests.
        ops.MapGet("/status", () => TypedResults.Content(StatusPage.Html, "text/html; charset=utf-8"))
            .AllowAnonymous()
            .WithSummary("A live status page (health of the database and broker, backlog, parked messages, delivery lag, recent failures) that asks for the operations key and keeps it in the tab's session.");
        return ops;
    }

    private static Task<Results<Ok<IReadOnlyList<DeadLetter>>, ProblemHttpResult>> ListDeadLetters(
        IDeadLetters deadLetters, CancellationToken cancellationToken, int max = 100) =>
        UnlessUnavailable<IReadOnlyList<DeadLetter>>(async () => TypedResults.Ok(await deadLetters.ListAsync(Math.Clamp(max, 1, 1000), cancellationToken)));

    private static Task<Results<Ok<ReplayResult>, ProblemHttpResult>> ReplayAll(IDeadLetters deadLetters, CancellationToken cancellationToken) =>
        UnlessUnavailable<ReplayResult>(async () => TypedResults.Ok(await deadLetters.ReplayAsync(null, cancellationToken)));

    private static Task<Results<Ok<ReplayResult>, ProblemHttpResult>> ReplayOne(
        Guid messageId, IDeadLetters deadLetters, CancellationToken cancellationToken) =>
        UnlessUnavailable<ReplayResult>(async () => await deadLetters.ReplayAsync(messageId, cancellationToken) is var replay
            && replay.Replayed + replay.Superseded > 0
                ? TypedResults.Ok(replay)
                : TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "No such dead letter",
                    detail: $"No dead letter with message id {messageId} in this service's error queues."));

    /// <summary>The dead-letter endpoints' answer, or 503 when the broker could not be asked: the operator asks again.</summary>
    private static async Task<Results<Ok<T>, ProblemHttpResult>> UnlessUnavailable<T>(Func<Task<Results<Ok<T>, ProblemHttpResult>>> answer)
    {
        try
        {
            return await answer();
        }
        catch (DeadLettersUnavailableException exception)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status503ServiceUnavailable, title: "Dead letters unavailable", detail: exception.Message);
        }
    }

    private static async Task<Results<Ok<ParkedResult>, ProblemHttpResult>> RetryParked(
        Guid messageId, IParkedOutboxMessages parked, CancellationToken cancellationToken) =>
        await parked.RetryAsync(messageId, cancellationToken) is var retried and > 0
            ? TypedResults.Ok(new ParkedResult(retried))
            : NoParkedMessage(messageId);

    private static async Task<Results<Ok<ParkedResult>, ProblemHttpResult>> DiscardParked(
        Guid messageId, DiscardRequest request, IParkedOutboxMessages parked, CancellationToken cancellationToken)
    {
        var reason = request.Reason?.Trim();
        if (string.IsNullOrEmpty(reason) || reason.Length > OutboxMessage.DiscardReasonMaxLength)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "A reason is required",
                detail: $"Say why the message is given up on (1 to {OutboxMessage.DiscardReasonMaxLength} characters): it is kept with the row.");
        }

        return await parked.DiscardAsync(messageId, reason, cancellationToken)
            ? TypedResults.Ok(new ParkedResult(1))
            : NoParkedMessage(messageId);
    }

    private static ProblemHttpResult NoParkedMessage(Guid messageId) =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "No such parked message",
            detail: $"No parked outbox message has id {messageId} (it may be pending, published or discarded already).");

    private static async Task<ServiceStatus> StatusAsync(
        IOutboxStatusReader outbox, RecentActivity activity, IDeadLetters deadLetters, HealthCheckService health,
        IOptions<MessagingOptions> options, TimeProvider timeProvider, CancellationToken cancellationToken)
    {
        IReadOnlyList<DeadLetter> letters = [];
        string? deadLettersError = null;
        try
        {
            letters = await deadLetters.ListAsync(50, cancellationToken);
        }
        catch (Exception exception) when (!exception.IsCancellationOf(cancellationToken))
        {
            // The page must still render when the broker is the thing that is down.
            deadLettersError = exception.Message;
        }

        // Live, not the gauge's sample: an operator looking at the page wants the broker's state now.
        var report = await health.CheckHealthAsync(cancellationToken);
        return new ServiceStatus(options.Value.ServiceName, timeProvider.GetUtcNow(),
            [.. report.Entries.Select(e => new HealthEntry(e.Key, e.Value.Status.ToString(), e.Value.Description ?? e.Value.Exception?.Message))],
            await outbox.ReadAsync(cancellationToken), activity.Lag(), activity.RecentFailures, letters, deadLettersError);
    }
}
