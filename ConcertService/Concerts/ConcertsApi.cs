using ConcertBooking.ConcertService.Data;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace ConcertBooking.ConcertService.Concerts;

public static class ConcertsApi
{
    public static IEndpointRouteBuilder MapConcertsApi(this IEndpointRouteBuilder app)
    {
        // The catalogue is public: no token needed to see what is on and which seats are free.
        var concerts = app.MapGroup("/concerts").WithTags("Concerts").AllowAnonymous();
        concerts.MapGet("/", ListConcerts).WithName("ListConcerts");
        concerts.MapGet("/{id:guid}/seats", ListSeats).WithName("ListSeats")
            .WithSummary("Every seat of the concert with its price and status: Available, Held or Sold.");
        return app;
    }

    internal static async Task<Ok<List<ConcertResponse>>> ListConcerts(ConcertDbContext db, CancellationToken cancellationToken) =>
        TypedResults.Ok(await db.Concerts.AsNoTracking().OrderBy(c => c.StartsAt)
            .Select(c => new ConcertResponse(c.Id, c.Name, c.Venue, c.StartsAt,
                db.Seats.Count(s => s.ConcertId == c.Id),
                db.Seats.Count(s => s.ConcertId == c.Id && s.Status == SeatStatus.Available)))
            .ToListAsync(cancellationToken));

    internal static async Task<Results<Ok<List<SeatResponse>>, ProblemHttpResult>> ListSeats(
        Guid id, ConcertDbContext db, CancellationToken cancellationToken)
    {
        if (!await db.Concerts.AnyAsync(c => c.Id == id, cancellationToken))
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Unknown concert", detail: $"There is no concert {id}.");
        }

        var seats = await db.Seats.AsNoTracking().Where(s => s.ConcertId == id).ToListAsync(cancellationToken);
        // Ordered here, not in SQL: "A2" before "A10" needs the row and the number compared separately.
        return TypedResults.Ok(seats
            .OrderBy(s => s.Label.TrimEnd("0123456789".ToCharArray()), StringComparer.Ordinal)
            .ThenBy(s => s.Label.Length).ThenBy(s => s.Label, StringComparer.Ordinal)
            .Select(SeatResponse.From)
            .ToList());
    }
}
