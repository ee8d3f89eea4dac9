using ConcertBooking.ServiceDefaults.Authentication;
using ConcertBooking.UserReplica.Consumers;
using MassTransit;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;

namespace ConcertBooking.UserReplica;

public static class UserReplicaRegistration
{
    /// <summary>The user replica's storage and projection; its consumers are added with <see cref="AddUserReplicaConsumers"/>.</summary>
    public static IHostApplicationBuilder AddUserReplica<TDbContext>(this IHostApplicationBuilder builder)
        where TDbContext : DbContext, IUserReplicaStore
    {
        builder.Services.AddScoped<IUserReplicaStore>(services => services.GetRequiredService<TDbContext>());
        builder.Services.AddScoped<UserProjection>();
        builder.Services.AddMetrics();
        builder.Services.TryAddSingleton<ReplicationMetrics>();
        return builder;
    }

    public static IBusRegistrationConfigurator AddUserReplicaConsumers(this IBusRegistrationConfigurator bus)
    {
        bus.AddConsumer<ProjectUserCreated>();
        bus.AddConsumer<ProjectUserUpdated>();
        bus.AddConsumer<ProjectUserDeleted>();
        return bus;
    }

    /// <summary>
    /// <c>GET /users/{id}</c>: the local copy, so an operator (the ops key) can inspect what this replica holds, and a
    /// user can see their own; nobody else's.
    /// </summary>
    public static IEndpointRouteBuilder MapUserReplicaApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/users/{id:guid}", GetUser)
            .WithName("GetReplicatedUser")
            .WithTags("User replica")
            .RequireSelf("id", allowOperators: true)
            .WithSummary("This service's replicated copy of a user: for the user themself or an operator.");
        return app;
    }

    public sealed record ReplicatedUserResponse(
        Guid Id, string Name, string Email, long Version, DateTimeOffset ChangedAt, DateTimeOffset ReplicatedAt);

    private static async Task<Results<Ok<ReplicatedUserResponse>, ProblemHttpResult>> GetUser(
        Guid id, IUserReplicaStore store, CancellationToken cancellationToken)
    {
        var user = await store.Users.AsNoTracking().FirstOrDefaultAsync(u => u.Id == id, cancellationToken);
        return user switch
        {
            null => TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Unknown user",
                detail: $"User {id} is not in this service's replica (unknown, or not replicated yet)."),
            { IsDeleted: true } => TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Deleted user",
                detail: $"User {id} was deleted (replica version {user.Version})."),
            // Only a tombstone lacks the name and email.
            _ => TypedResults.Ok(new ReplicatedUserResponse(user.Id, user.Name!, user.Email!, user.Version, user.ChangedAt, user.ReplicatedAt)),
        };
    }
}
