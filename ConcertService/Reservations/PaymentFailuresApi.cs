using System.Security.Claims;
using ConcertBooking.ConcertService.Data;
using ConcertBooking.ServiceDefaults.Authentication;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace ConcertBooking.ConcertService.Reservations;

public static class PaymentFailuresApi
{
    public static IEndpointRouteBuilder MapPaymentFailuresApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/reservations/{id:guid}/last-payment-failure", GetLastPaymentFailure).WithTags("Reservations")
            .WithName("GetLastPaymentFailure").RequireAuthorization()
            .WithSummary("The latest payment PaymentService refused for one of the signed-in user's reservations (and how many were), "
                + "as PaymentFailed reported it; another user's reservation is 404.");
        return app;
    }

    internal static async Task<Results<Ok<PaymentFailureResponse>, ProblemHttpResult>> GetLastPaymentFailure(
        Guid id, ClaimsPrincipal caller, ConcertDbContext db, CancellationToken cancellationToken)
    {
        // Only the reservation's own user learns of its refused payments; for anyone else it is as if there were none.
        var userId = caller.UserId();
        var failure = await db.Set<PaymentFailure>().AsNoTracking()
            .Where(f => f.ReservationId == id && db.Reservations.Any(r => r.Id == id && r.UserId == userId))
            .FirstOrDefaultAsync(cancellationToken);
        return failure is not null
            ? TypedResults.Ok(PaymentFailureResponse.From(failure))
            : TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "No refused payment",
                detail: $"No payment was refused for your reservation {id} (or PaymentFailed has not arrived yet).");
    }
}
