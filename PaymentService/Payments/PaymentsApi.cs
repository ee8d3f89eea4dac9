using System.Diagnostics;
using ConcertBooking.PaymentService.Data;
using ConcertBooking.ServiceDefaults;
using ConcertBooking.UserReplica;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace ConcertBooking.PaymentService.Payments;

public static class PaymentsApi
{
    public const string IdempotencyKeyHeader = "Idempotency-Key";

    public static IEndpointRouteBuilder MapPaymentsApi(this IEndpointRouteBuilder app)
    {
        var payments = app.MapGroup("/payments").WithTags("Payments");
        payments.MapPost("/", Pay).WithValidation<PayReservationRequest>().WithName("PayReservation")
            .RequireRateLimiting(RateLimitPolicies.Payment)
            .WithSummary($"Pay a reservation from the wallet: 201 new, 200 a replay of the same {IdempotencyKeyHeader}, 402 balance too low.");
        payments.MapGet("/{id:guid}", GetPayment).WithName("GetPayment");
        app.MapGet("/payable-reservations/{id:guid}", GetPayableReservation).WithTags("Payments").WithName("GetPayableReservation")
            .WithSummary("This service's view of a reservation, as replicated from ConcertService's events.");
        return app;
    }

    internal static async Task<Results<Created<PaymentResponse>, Ok<PaymentResponse>, ProblemHttpResult>> Pay(
        PayReservationRequest request, [FromHeader(Name = IdempotencyKeyHeader)] string? idempotencyKey,
        PayReservation pay, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(idempotencyKey) || idempotencyKey.Length > Payment.IdempotencyKeyMaxLength)
        {
            return Problem(StatusCodes.Status400BadRequest, "Idempotency key required",
                $"Send a unique {IdempotencyKeyHeader} header (1 to {Payment.IdempotencyKeyMaxLength} characters) and reuse it when retrying.");
        }

        var (reservationId, userId) = (request.ReservationId!.Value, request.UserId!.Value);
        return ToHttp(await pay.PayAsync(idempotencyKey, reservationId, userId, cancellationToken), reservationId, userId);
    }

    internal static async Task<Results<Ok<PaymentResponse>, ProblemHttpResult>> GetPayment(Guid id, PaymentDbContext db, CancellationToken cancellationToken) =>
        await db.Payments.AsNoTracking().FirstOrDefaultAsync(p => p.Id == id, cancellationToken) is { } payment
            ? TypedResults.Ok(PaymentResponse.From(payment))
            : Problem(StatusCodes.Status404NotFound, "Unknown payment", $"There is no payment {id}.");

    internal static async Task<Results<Ok<PayableReservationResponse>, ProblemHttpResult>> GetPayableReservation(
        Guid id, PaymentDbContext db, CancellationToken cancellationToken) =>
        await db.PayableReservations.AsNoTracking().FirstOrDefaultAsync(r => r.ReservationId == id, cancellationToken) is { } reservation
            ? TypedResults.Ok(PayableReservationResponse.From(reservation))
            : Problem(StatusCodes.Status404NotFound, "Unknown reservation", $"Reservation {id} is unknown here.");

    private static Results<Created<PaymentResponse>, Ok<PaymentResponse>, ProblemHttpResult> ToHttp(
        PayReservationResult result, Guid reservationId, Guid userId) => result switch
    {
        PayReservationResult.Paid(var payment) => TypedResults.Created($"/payments/{payment.Id}", PaymentResponse.From(payment)),
        PayReservationResult.Replayed(var payment) => TypedResults.Ok(PaymentResponse.From(payment)),
        PayReservationResult.KeyReused => Problem(StatusCodes.Status422UnprocessableEntity, "Idempotency key reused",
            $"The {IdempotencyKeyHeader} was already used for a different payment; use a new key for a new payment."),
        PayReservationResult.UnknownUser => KnownUsers.UnknownUser(userId),
        PayReservationResult.UnknownReservation => Problem(StatusCodes.Status404NotFound, "Unknown reservation",
            $"Reservation {reservationId} is unknown here (unknown, or its ReservationCreated not received yet)."),
        PayReservationResult.NotYourReservation => Problem(StatusCodes.Status403Forbidden, "Not your reservation",
            $"Reservation {reservationId} belongs to another user."),
        PayReservationResult.Expired(var expiresAt) => Problem(StatusCodes.Status409Conflict, "Reservation expired",
            $"The hold on reservation {reservationId} expired at {expiresAt:O}."),
        PayReservationResult.AlreadyPaid => Problem(StatusCodes.Status409Conflict, "Reservation already paid",
            $"Reservation {reservationId} has already been paid."),
        PayReservationResult.InsufficientBalance(var amount) => Problem(StatusCodes.Status402PaymentRequired, "Insufficient balance",
            $"The wallet holds less than {amount:0.00}; charge it and retry with the same {IdempotencyKeyHeader}."),
        _ => throw new UnreachableException($"Unexpected {result}"),
    };

    private static ProblemHttpResult Problem(int status, string title, string detail) =>
        TypedResults.Problem(statusCode: status, title: title, detail: detail);
}
