using ConcertBooking.ConcertService.Data;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace ConcertBooking.ConcertService.Reservations;

public static class PaymentFailuresApi
{
    public static IEndpointRouteBuilder MapPaymentFailuresApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/reservations/{id:guid}/last-payment-failure", GetLastPaymentFailure).WithTags("Reservations")
            .WithName("GetLastPaymentFailure")
            .WithSummary("The latest payment PaymentService refused for the reservation (and how many were), as PaymentFailed reported it.");
        return app;
    }

    internal static async Task<Results<Ok<PaymentFailureResponse>, ProblemHttpResult>> GetLastPaymentFailure(
        Guid id, ConcertDbContext db, CancellationToken cancellationToken) =>
        await db.Set<PaymentFailure>().AsNoTracking().FirstOrDefaultAsync(f => f.ReservationId == id, cancellationToken) is { } failure
            ? TypedResults.Ok(PaymentFailureResponse.From(failure))
            : TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "No refused payment",
                detail: $"No payment was refused for reservation {id} (or PaymentFailed has not arrived yet).");
}
