using System.Diagnostics;
using System.Security.Claims;
using ConcertBooking.ConcertService.Data;
using ConcertBooking.Database;
using ConcertBooking.EntryPasses;
using ConcertBooking.ServiceDefaults;
using ConcertBooking.ServiceDefaults.Authentication;
using ConcertBooking.UserReplica;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace ConcertBooking.ConcertService.Reservations;

public static class ReservationsApi
{
    public const string EntryPassHeader = "X-Entry-Pass";

    public static IEndpointRouteBuilder MapReservationsApi(this IEndpointRouteBuilder app)
    {
        var reservations = app.MapGroup("/reservations").WithTags("Reservations").RequireAuthorization();
        reservations.MapPost("/", ReserveSeat).WithValidation<ReserveSeatRequest>().WithName("ReserveSeat")
            .RequireRateLimiting(RateLimitPolicies.Reservation)
            .WithSummary($"Hold a seat (seatId), or any free seat of a concert (concertId), for the signed-in user; needs their entry pass from the waiting queue in {EntryPassHeader}.");
        reservations.MapGet("/{id:guid}", GetReservation).WithName("GetReservation")
            .WithSummary("One of the signed-in user's reservations; another user's is 404, as if it did not exist.");
        return app;
    }

    internal static async Task<Results<Created<ReservationResponse>, Ok<ReservationResponse>, ProblemHttpResult>> ReserveSeat(
        ClaimsPrincipal caller, ReserveSeatRequest request, [FromHeader(Name = EntryPassHeader)] string? entryPass, HoldSeat hold,
        CancellationToken cancellationToken)
    {
        var userId = caller.UserId();
        return request.SeatId is { } seatId
            ? ToHttp(await hold.HoldAsync(userId, seatId, entryPass, cancellationToken), userId, seatId)
            : ToHttp(await hold.HoldAnyAsync(userId, request.ConcertId!.Value, entryPass, cancellationToken), userId, request.ConcertId.Value);
    }

    /// <summary>Compiled once: a buyer polls this until the payment confirms, and EF Core would otherwise re-read and look up the query each time.</summary>
    private static readonly CompiledPerModel<Func<ConcertDbContext, Guid, Guid, CancellationToken, Task<Reservation?>>> UsersReservation = new(() =>
        EF.CompileAsyncQuery((ConcertDbContext db, Guid id, Guid userId, CancellationToken _) =>
            db.Reservations.AsNoTracking().FirstOrDefault(r => r.Id == id && r.UserId == userId)));

    internal static async Task<Results<Ok<ReservationResponse>, ProblemHttpResult>> GetReservation(
        Guid id, ClaimsPrincipal caller, ConcertDbContext db, CancellationToken cancellationToken)
    {
        var userId = caller.UserId();
        return await UsersReservation.For(db)(db, id, userId, cancellationToken) is { } reservation
            ? TypedResults.Ok(ReservationResponse.From(reservation))
            : Problem(StatusCodes.Status404NotFound, "Unknown reservation", $"You have no reservation {id}.");
    }

    /// <summary><paramref name="target"/> is the seat named, or the concert whose any free seat was asked for.</summary>
    private static Results<Created<ReservationResponse>, Ok<ReservationResponse>, ProblemHttpResult> ToHttp(HoldSeatResult result, Guid userId, Guid target) => result switch
    {
        HoldSeatResult.Held(var reservation) => TypedResults.Created($"/reservations/{reservation.Id}", ReservationResponse.From(reservation)),
        HoldSeatResult.AlreadyHeld(var reservation) => TypedResults.Ok(ReservationResponse.From(reservation)),
        HoldSeatResult.UnknownUser => KnownUsers.UnknownUser(userId),
        HoldSeatResult.UserLookupUnavailable => Problem(StatusCodes.Status503ServiceUnavailable, "User lookup unavailable",
            "UserService did not answer the user lookup (UserLookup:Mode=Http); the default Replica mode does not depend on it."),
        HoldSeatResult.UnknownSeat => Problem(StatusCodes.Status404NotFound, "Unknown seat", $"There is no seat {target}."),
        HoldSeatResult.UnknownConcert => Problem(StatusCodes.Status404NotFound, "Unknown concert", $"There is no concert {target}."),
        // An empty availableSeats says sold out, as on a refused named seat, so a client reads both refusals alike.
        HoldSeatResult.NoSeatFree(SoldOut: true) => Problem(StatusCodes.Status409Conflict, "Sold out",
            "Every seat of this concert is held or sold; a held seat comes back if its hold expires unpaid.", []),
        HoldSeatResult.NoSeatFree => Problem(StatusCodes.Status409Conflict, "No seat free this instant",
            "Every seat still free is being held by another buyer's request this instant, and some of those may fail; try again."),
        HoldSeatResult.NoEntryPass => Problem(StatusCodes.Status401Unauthorized, "Entry pass required",
            $"Send the entry pass of your admitted queue token in the {EntryPassHeader} header."),
        // A pass that cannot be read is as good as none: 401. One that can, but is refused, is 403.
        HoldSeatResult.EntryPassRefused(EntryPassVerdict.Malformed) => Problem(StatusCodes.Status401Unauthorized, "Invalid entry pass",
            $"The entry pass in the {EntryPassHeader} header could not be read; send the pass of your admitted queue token as it was issued."),
        HoldSeatResult.EntryPassRefused(var verdict) => Problem(StatusCodes.Status403Forbidden, "Invalid entry pass", verdict switch
        {
            EntryPassVerdict.Expired => "The entry pass has expired; enter the waiting queue again.",
            EntryPassVerdict.WrongUser => "The entry pass was issued to another user.",
            EntryPassVerdict.WrongConcert => "The entry pass is for another concert.",
            _ => "The entry pass's signature does not match.",
        }),
        HoldSeatResult.SeatTaken(var label, null) => Problem(StatusCodes.Status409Conflict, "Seat not available", $"Seat {label} is already held or sold."),
        HoldSeatResult.SeatTaken(var label, { Count: 0 } available) => Problem(StatusCodes.Status409Conflict, "Seat not available",
            $"Seat {label} is already held or sold, and no other seat of this concert was free a moment ago; a held seat comes back if its hold expires unpaid.",
            available),
        HoldSeatResult.SeatTaken(var label, var available) => Problem(StatusCodes.Status409Conflict, "Seat not available",
            $"Seat {label} is already held or sold; availableSeats names seats that were free a moment ago.", available),
        HoldSeatResult.EntryPassOutlivesHold(var holdTime) => Problem(StatusCodes.Status403Forbidden, "Entry pass outlives a hold",
            $"The entry pass stays valid for longer than a hold ({holdTime}); TokenService's Queue:AdmissionLifetime must not exceed ConcertService's Reservations:HoldTime."),
        HoldSeatResult.PassAlreadyHolding => Problem(StatusCodes.Status409Conflict, "Entry pass already holds a seat",
            "One entry pass holds one seat at a time: pay for the seat it holds, or let that hold expire, before holding another."),
        HoldSeatResult.SeatLimitReached(var max) => Problem(StatusCodes.Status409Conflict, "Seat limit reached",
            $"You already hold or bought {max} seats of this concert, the most one user may (Reservations:MaxSeatsPerUser)."),
        _ => throw new UnreachableException($"Unexpected {result}"),
    };

    private static ProblemHttpResult Problem(int status, string title, string detail) =>
        TypedResults.Problem(statusCode: status, title: title, detail: detail);

    private static ProblemHttpResult Problem(int status, string title, string detail, IReadOnlyList<AvailableSeat> availableSeats) =>
        TypedResults.Problem(statusCode: status, title: title, detail: detail,
            extensions: new Dictionary<string, object?> { ["availableSeats"] = availableSeats });
}
