using System.Diagnostics;
using System.Security.Claims;
using ConcertBooking.PaymentService.Data;
using ConcertBooking.ServiceDefaults;
using ConcertBooking.ServiceDefaults.Authentication;
using ConcertBooking.UserReplica;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace ConcertBooking.PaymentService.Payments;

public static class PaymentsApi
{
    public const string IdempotencyKeyHeader = "Idempotency-Key";

    /// <summary>On an answer that repeats an earlier request's answer for the same <see cref="IdempotencyKeyHeader"/>.</summary>
    public const string ReplayedHeader = "Idempotent-Replayed";

    public static IEndpointRouteBuilder MapPaymentsApi(this IEndpointRouteBuilder app)
    {
        var payments = app.MapGroup("/payments").WithTags("Payments").RequireAuthorization();
        payments.MapPost("/", Pay).WithValidation<PayReservationRequest>().WithName("PayReservation")
            .RequireRateLimiting(RateLimitPolicies.Payment)
            .WithSummary($"Pay a reservation from the wallet: 201 with the payment (again, marked {ReplayedHeader}, for a repeated {IdempotencyKeyHeader}), 402 balance too low.");
        payments.MapGet("/{id:guid}", GetPayment).WithName("GetPayment")
            .WithSummary("One of the signed-in user's payments; another user's is 404.");
        app.MapGet("/payable-reservations/{id:guid}", GetPayableReservation).WithTags("Payments").WithName("GetPayableReservation").RequireAuthorization()
            .WithSummary("This service's view of one of the signed-in user's reservations, as replicated from ConcertService's events.");
        return app;
    }

    internal static async Task<Results<Created<PaymentResponse>, ProblemHttpResult>> Pay(
        ClaimsPrincipal caller, PayReservationRequest request, [FromHeader(Name = IdempotencyKeyHeader)] string? idempotencyKey,
        PayReservation pay, HttpResponse response, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(idempotencyKey) || idempotencyKey.Length > Payment.IdempotencyKeyMaxLength)
        {
            return Problem(StatusCodes.Status400BadRequest, "Idempotency key required",
                $"Send a unique {IdempotencyKeyHeader} header (1 to {Payment.IdempotencyKeyMaxLength} characters) and reuse it when retrying.");
        }

        var (reservationId, userId) = (request.ReservationId!.Value, caller.UserId());
        return ToHttp(await pay.PayAsync(idempotencyKey, reservationId, userId, cancellationToken), reservationId, userId, response);
    }

    internal static async Task<Results<Ok<PaymentResponse>, ProblemHttpResult>> GetPayment(
        Guid id, ClaimsPrincipal caller, PaymentDbContext db, CancellationToken cancellationToken)
    {
        var userId = caller.UserId();
        return await db.Payments.AsNoTracking().FirstOrDefaultAsync(p => p.Id == id && p.UserId == userId, cancellationToken) is { } payment
            ? TypedResults.Ok(PaymentResponse.From(payment))
            : Problem(StatusCodes.Status404NotFound, "Unknown payment", $"You have no payment {id}.");
    }

    internal static async Task<Results<Ok<PayableReservationResponse>, ProblemHttpResult>> GetPayableReservation(
        Guid id, ClaimsPrincipal caller, PaymentDbContext db, CancellationToken cancellationToken)
    {
        var userId = caller.UserId();
        return await db.PayableReservations.AsNoTracking().FirstOrDefaultAsync(r => r.ReservationId == id && r.UserId == userId, cancellationToken) is { } reservation
            ? TypedResults.Ok(PayableReservationResponse.From(reservation))
            : Problem(StatusCodes.Status404NotFound, "Unknown reservation", $"Reservation {id} is not one of yours here (unknown, another user's, or not received yet).");
    }

    private static Results<Created<PaymentResponse>, ProblemHttpResult> ToHttp(
        PayReservationResult result, Guid reservationId, Guid userId, HttpResponse response) => result switch
    {
        PayReservationResult.Paid(var payment) => TypedResults.Created($"/payments/{payment.Id}", PaymentResponse.From(payment)),
        PayReservationResult.Replayed(var payment) => Replay(payment, response),
        PayReservationResult.KeyReused => Problem(StatusCodes.Status422UnprocessableEntity, "Idempotency key reused",
            $"The {IdempotencyKeyHeader} was already used for a different payment; use a new key for a new payment."),
        PayReservationResult.UnknownUser => KnownUsers.UnknownUser(userId),
        PayReservationResult.UnknownReservation => UnknownReservation(reservationId),
        // Another user's reservation is answered as an unknown one: whether it exists is none of the caller's business.
        PayReservationResult.NotYourReservation => UnknownReservation(reservationId),
        PayReservationResult.Expired(var expiresAt) => Problem(StatusCodes.Status409Conflict, "Reservation expired",
            $"The hold on reservation {reservationId} expired at {expiresAt:O}."),
        PayReservationResult.AlreadyPaid => Problem(StatusCodes.Status409Conflict, "Reservation already paid",
            $"Reservation {reservationId} has already been paid."),
        PayReservationResult.InsufficientBalance(var amount) => Problem(StatusCodes.Status402PaymentRequired, "Insufficient balance",
            $"The wallet holds less than {amount:0.00}; charge it and retry with the same {IdempotencyKeyHeader}."),
        _ => throw new UnreachableException($"Unexpected {result}"),
    };

    /// <summary>
    /// The first answer again, status, Location and body, so a client that lost it (a timeout, a retry racing the
    /// first request) cannot tell the difference but by <see cref="ReplayedHeader"/>.
    /// </summary>
    private static Created<PaymentResponse> Replay(Payment payment, HttpResponse response)
    {
        response.Headers[ReplayedHeader] = "true";
        return TypedResults.Created($"/payments/{payment.Id}", PaymentResponse.From(payment));
    }

    private static ProblemHttpResult UnknownReservation(Guid reservationId) => Problem(StatusCodes.Status404NotFound, "Unknown reservation",
        $"Reservation {reservationId} is not one of yours here (unknown, another user's, or its ReservationCreated not received yet).");

    private static ProblemHttpResult Problem(int status, string title, string detail) =>
        TypedResults.Problem(statusCode: status, title: title, detail: detail);
}
