using ConcertBooking.ConcertService.Concerts;
using ConcertBooking.ConcertService.Data;
using ConcertBooking.ConcertService.Users;
using ConcertBooking.Contracts;
using ConcertBooking.EntryPasses;
using ConcertBooking.Messaging.Outbox;
using ConcertBooking.ServiceDefaults;
using ConcertBooking.UserReplica;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace ConcertBooking.ConcertService.Reservations;

public static class ReservationsApi
{
    public const string EntryPassHeader = "X-Entry-Pass";

    public static IEndpointRouteBuilder MapReservationsApi(this IEndpointRouteBuilder app)
    {
        var reservations = app.MapGroup("/reservations").WithTags("Reservations");
        reservations.MapPost("/", ReserveSeat).WithValidation<ReserveSeatRequest>().WithName("ReserveSeat")
            .WithSummary($"Hold a seat for its payment; needs the entry pass from the waiting queue in {EntryPassHeader}.");
        reservations.MapGet("/{id:guid}", GetReservation).WithName("GetReservation");
        return app;
    }

    internal static async Task<Results<Created<ReservationResponse>, ProblemHttpResult>> ReserveSeat(
        ReserveSeatRequest request, [FromHeader(Name = EntryPassHeader)] string? entryPass,
        ConcertDbContext db, IOutbox outbox, IUserLookup users, EntryPassCodec passes, IOptions<ReservationOptions> options,
        TimeProvider time, CancellationToken cancellationToken)
    {
        var userId = request.UserId!.Value;
        var seatId = request.SeatId!.Value;
        switch (await users.FindAsync(userId, cancellationToken))
        {
            case UserLookupResult.Unknown:
                return KnownUsers.UnknownUser(userId);
            case UserLookupResult.Unavailable:
                return TypedResults.Problem(statusCode: StatusCodes.Status503ServiceUnavailable, title: "User lookup unavailable",
                    detail: "UserService did not answer the user lookup (UserLookup:Mode=Http); the default Replica mode does not depend on it.");
        }

        var seat = await db.Seats.AsNoTracking().FirstOrDefaultAsync(s => s.Id == seatId, cancellationToken);
        if (seat is null)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Unknown seat", detail: $"There is no seat {seatId}.");
        }

        if (string.IsNullOrWhiteSpace(entryPass))
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "Entry pass required",
                detail: $"Send the entry pass of your admitted queue token in the {EntryPassHeader} header.");
        }

        var verdict = passes.Verify(entryPass, userId, seat.ConcertId, out _);
        if (verdict != EntryPassVerdict.Valid)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Invalid entry pass", detail: verdict switch
            {
                EntryPassVerdict.Expired => "The entry pass has expired; enter the waiting queue again.",
                EntryPassVerdict.WrongUser => "The entry pass was issued to another user.",
                EntryPassVerdict.WrongConcert => "The entry pass is for another concert.",
                _ => "The entry pass is malformed or its signature does not match.",
            });
        }

        var now = time.GetUtcNow();
        var reservation = new Reservation
        {
            Id = Guid.CreateVersion7(now),
            ConcertId = seat.ConcertId,
            SeatId = seat.Id,
            UserId = userId,
            Amount = seat.Price,
            Status = ReservationStatus.Pending,
            CreatedAt = now,
            ExpiresAt = now + options.Value.HoldTime,
        };

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        // The database picks the one winner: the UPDATE takes the row lock, and a concurrent attempt re-reads the
        // row after the winner commits, sees it Held and matches nothing.
        var held = await db.Seats
            .Where(s => s.Id == seatId && s.Status == SeatStatus.Available)
            .ExecuteUpdateAsync(set => set
                .SetProperty(s => s.Status, SeatStatus.Held)
                .SetProperty(s => s.ReservationId, reservation.Id)
                .SetProperty(s => s.HeldUntil, reservation.ExpiresAt), cancellationToken);
        if (held == 0)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "Seat not available",
                detail: $"Seat {seat.Label} is already held or sold.");
        }

        db.Reservations.Add(reservation);
        outbox.Add(new ReservationCreated(reservation.Id, reservation.ConcertId, reservation.SeatId, userId, reservation.Amount,
            reservation.CreatedAt, reservation.ExpiresAt), partitionKey: reservation.Id.ToString());
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return TypedResults.Created($"/reservations/{reservation.Id}", ReservationResponse.From(reservation));
    }

    internal static async Task<Results<Ok<ReservationResponse>, ProblemHttpResult>> GetReservation(
        Guid id, ConcertDbContext db, CancellationToken cancellationToken) =>
        await db.Reservations.AsNoTracking().FirstOrDefaultAsync(r => r.Id == id, cancellationToken) is { } reservation
            ? TypedResults.Ok(ReservationResponse.From(reservation))
            : TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Unknown reservation", detail: $"There is no reservation {id}.");
}
