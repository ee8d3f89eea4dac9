using ConcertBooking.Contracts;
using ConcertBooking.Database;
using ConcertBooking.Messaging.Outbox;
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
    public const int IdempotencyKeyMaxLength = 100;

    public static IEndpointRouteBuilder MapPaymentsApi(this IEndpointRouteBuilder app)
    {
        var payments = app.MapGroup("/payments").WithTags("Payments");
        payments.MapPost("/", Pay).WithValidation<PayReservationRequest>().WithName("PayReservation")
            .WithSummary($"Pay a reservation from the wallet: 201 new, 200 a replay of the same {IdempotencyKeyHeader}, 402 balance too low.");
        payments.MapGet("/{id:guid}", GetPayment).WithName("GetPayment");
        app.MapGet("/payable-reservations/{id:guid}", GetPayableReservation).WithTags("Payments").WithName("GetPayableReservation")
            .WithSummary("This service's view of a reservation, as replicated from ConcertService's events.");
        return app;
    }

    internal static async Task<Results<Created<PaymentResponse>, Ok<PaymentResponse>, ProblemHttpResult>> Pay(
        PayReservationRequest request, [FromHeader(Name = IdempotencyKeyHeader)] string? idempotencyKey,
        PaymentDbContext db, IOutbox outbox, TimeProvider time, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(idempotencyKey) || idempotencyKey.Length > IdempotencyKeyMaxLength)
        {
            return Problem(StatusCodes.Status400BadRequest, "Idempotency key required",
                $"Send a unique {IdempotencyKeyHeader} header (1 to {IdempotencyKeyMaxLength} characters) and reuse it when retrying.");
        }

        var reservationId = request.ReservationId!.Value;
        var userId = request.UserId!.Value;
        if (await ReplayAsync(db, idempotencyKey, reservationId, userId, cancellationToken) is { } replay)
        {
            return replay;
        }

        if (!await db.IsKnownAsync(userId, cancellationToken))
        {
            return KnownUsers.UnknownUser(userId);
        }

        var reservation = await db.PayableReservations.AsNoTracking().FirstOrDefaultAsync(r => r.ReservationId == reservationId, cancellationToken);
        var now = time.GetUtcNow();
        if (reservation is null)
        {
            return Problem(StatusCodes.Status404NotFound, "Unknown reservation",
                $"Reservation {reservationId} is unknown here (unknown, or its ReservationCreated not received yet).");
        }

        if (reservation.UserId != userId)
        {
            return Problem(StatusCodes.Status403Forbidden, "Not your reservation", $"Reservation {reservationId} belongs to another user.");
        }

        if (reservation.Status == PayableStatus.Expired || (reservation.Status == PayableStatus.Pending && reservation.ExpiresAt <= now))
        {
            return Problem(StatusCodes.Status409Conflict, "Reservation expired", $"The hold on reservation {reservationId} expired at {reservation.ExpiresAt:O}.");
        }

        if (reservation.Status != PayableStatus.Pending)
        {
            return await ReplayOrAlreadyPaidAsync(db, idempotencyKey, reservationId, userId, cancellationToken);
        }

        var payment = new Payment
        {
            Id = Guid.CreateVersion7(now),
            IdempotencyKey = idempotencyKey,
            ReservationId = reservationId,
            UserId = userId,
            Amount = reservation.Amount,
            Status = PaymentStatus.Completed,
            CreatedAt = now,
        };

        await using (var transaction = await db.Database.BeginTransactionAsync(cancellationToken))
        {
            // The balance check is part of the UPDATE: a concurrent payment waits for the row lock and then
            // re-checks the balance, so the wallet can never go below zero.
            var debited = await db.Wallets.Where(w => w.UserId == userId && w.Balance >= payment.Amount)
                .ExecuteUpdateAsync(set => set.SetProperty(w => w.Balance, w => w.Balance - payment.Amount).SetProperty(w => w.UpdatedAt, now), cancellationToken);
            if (debited == 0)
            {
                await transaction.RollbackAsync(cancellationToken);
                return await InsufficientBalanceAsync(db, outbox, payment, now, cancellationToken);
            }

            var claimed = await db.PayableReservations
                .Where(r => r.ReservationId == reservationId && r.Status == PayableStatus.Pending && r.ExpiresAt > now)
                .ExecuteUpdateAsync(set => set.SetProperty(r => r.Status, PayableStatus.Paid).SetProperty(r => r.UpdatedAt, now), cancellationToken);
            if (claimed == 0)
            {
                // Paid by a concurrent request (perhaps this very one, retried) or expired meanwhile.
                await transaction.RollbackAsync(cancellationToken);
                return await ReplayOrAlreadyPaidAsync(db, idempotencyKey, reservationId, userId, cancellationToken);
            }

            db.Payments.Add(payment);
            outbox.Add(new PaymentCompleted(payment.Id, reservationId, userId, payment.Amount, now), partitionKey: reservationId.ToString());
            try
            {
                await db.SaveChangesAsync(cancellationToken);
                await transaction.CommitAsync(cancellationToken);
            }
            catch (DbUpdateException exception) when (exception.IsUniqueViolation())
            {
                // The same key (or the same reservation under another key) committed first; the debit is undone.
                await transaction.RollbackAsync(cancellationToken);
                db.ChangeTracker.Clear();
                return await ReplayOrAlreadyPaidAsync(db, idempotencyKey, reservationId, userId, cancellationToken);
            }
        }

        return TypedResults.Created($"/payments/{payment.Id}", PaymentResponse.From(payment));
    }

    internal static async Task<Results<Ok<PaymentResponse>, ProblemHttpResult>> GetPayment(Guid id, PaymentDbContext db, CancellationToken cancellationToken) =>
        await db.Payments.AsNoTracking().FirstOrDefaultAsync(p => p.Id == id, cancellationToken) is { } payment
            ? TypedResults.Ok(PaymentResponse.From(payment))
            : Problem(StatusCodes.Status404NotFound, "Unknown payment", $"There is no payment {id}.");

    internal static async Task<Results<Ok<PayableReservationResponse>, ProblemHttpResult>> GetPayableReservation(
        Guid id, PaymentDbContext db, CancellationToken cancellationToken) =>
        await db.PayableReservations.AsNoTracking().FirstOrDefaultAsync(r => r.ReservationId == id, cancellationToken) is { } r
            ? TypedResults.Ok(new PayableReservationResponse(r.ReservationId, r.ConcertId, r.SeatId, r.UserId, r.Amount, r.ExpiresAt, r.Status.ToString()))
            : Problem(StatusCodes.Status404NotFound, "Unknown reservation", $"Reservation {id} is unknown here.");

    /// <summary>
    /// The answer to a key that was used before: the same payment when it was for the same reservation and user
    /// (nothing is charged again), a 422 when the key is reused for a different request.
    /// </summary>
    private static async Task<Results<Created<PaymentResponse>, Ok<PaymentResponse>, ProblemHttpResult>?> ReplayAsync(
        PaymentDbContext db, string idempotencyKey, Guid reservationId, Guid userId, CancellationToken cancellationToken)
    {
        var earlier = await db.Payments.AsNoTracking().FirstOrDefaultAsync(p => p.IdempotencyKey == idempotencyKey, cancellationToken);
        if (earlier is null)
        {
            return null;
        }

        return earlier.ReservationId == reservationId && earlier.UserId == userId
            ? TypedResults.Ok(PaymentResponse.From(earlier))
            : Problem(StatusCodes.Status422UnprocessableEntity, "Idempotency key reused",
                $"The {IdempotencyKeyHeader} was already used for a different payment; use a new key for a new payment.");
    }

    /// <summary>
    /// 402 and PaymentFailed. Nothing is stored under the key, so the client may charge the wallet and retry with
    /// the same key.
    /// </summary>
    private static async Task<ProblemHttpResult> InsufficientBalanceAsync(
        PaymentDbContext db, IOutbox outbox, Payment payment, DateTimeOffset now, CancellationToken cancellationToken)
    {
        const string reason = "Insufficient wallet balance.";
        outbox.Add(new PaymentFailed(payment.ReservationId, payment.UserId, payment.Amount, reason, now), partitionKey: payment.ReservationId.ToString());
        await db.SaveChangesAsync(cancellationToken);
        return Problem(StatusCodes.Status402PaymentRequired, "Insufficient balance",
            $"The wallet holds less than {payment.Amount:0.00}; charge it and retry with the same {IdempotencyKeyHeader}.");
    }

    /// <summary>
    /// The reservation is paid: by this key (a concurrent retry that committed first, so replay it) or by another.
    /// </summary>
    private static async Task<Results<Created<PaymentResponse>, Ok<PaymentResponse>, ProblemHttpResult>> ReplayOrAlreadyPaidAsync(
        PaymentDbContext db, string idempotencyKey, Guid reservationId, Guid userId, CancellationToken cancellationToken) =>
        await ReplayAsync(db, idempotencyKey, reservationId, userId, cancellationToken)
        ?? Problem(StatusCodes.Status409Conflict, "Reservation already paid", $"Reservation {reservationId} has already been paid.");

    private static ProblemHttpResult Problem(int status, string title, string detail) =>
        TypedResults.Problem(statusCode: status, title: title, detail: detail);
}
