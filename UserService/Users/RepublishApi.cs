namespace ConcertBooking.UserService.Users;

public static class RepublishApi
{
    /// <summary><c>POST /ops/users/republish</c>: see <see cref="RepublishUsers"/>.</summary>
    public static RouteGroupBuilder MapUserRepublish(this RouteGroupBuilder ops)
    {
        ops.MapPost("/users/republish", Republish)
            .WithSummary("Re-publish every user at its current version so new or damaged replicas converge.");
        return ops;
    }

    internal static Task<RepublishResult> Republish(RepublishUsers republish, CancellationToken cancellationToken) =>
        republish.RepublishAsync(cancellationToken);
}
