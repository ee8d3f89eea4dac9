using System.Diagnostics;
using ConcertBooking.ServiceDefaults;
using ConcertBooking.UserService.Data;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace ConcertBooking.UserService.Users;

public static class UsersApi
{
    public static IEndpointRouteBuilder MapUsersApi(this IEndpointRouteBuilder app)
    {
        var users = app.MapGroup("/users").WithTags("Users");

        users.MapPost("/", SignUp).WithValidation<SignUpRequest>().WithName("SignUp").RequireRateLimiting(RateLimitPolicies.SignUp)
            .WithSummary("Sign up a user; UserCreated is published after commit.");
        users.MapGet("/{id:guid}", GetUser).WithName("GetUser");
        users.MapPatch("/{id:guid}", ChangeUser).WithValidation<ChangeUserRequest>().WithName("ChangeUser")
            .WithSummary("Rename and/or change the email; UserUpdated carries the new version.");
        users.MapDelete("/{id:guid}", DeleteUser).WithName("DeleteUser");
        return app;
    }

    internal static async Task<Results<Created<UserResponse>, ProblemHttpResult>> SignUp(
        SignUpRequest request, SignUpUser signUp, CancellationToken cancellationToken) =>
        await signUp.SignUpAsync(request.Name!, request.Email!, cancellationToken) switch
        {
            SignUpResult.SignedUp(var user) => TypedResults.Created($"/users/{user.Id}", UserResponse.From(user)),
            SignUpResult.EmailTaken(var email) => EmailTaken(email),
            var other => throw new UnreachableException($"Unexpected {other}"),
        };

    internal static async Task<Results<Ok<UserResponse>, ProblemHttpResult>> GetUser(
        Guid id, UserDbContext db, CancellationToken cancellationToken) =>
        await db.Users.AsNoTracking().FirstOrDefaultAsync(u => u.Id == id, cancellationToken) is { } user
            ? TypedResults.Ok(UserResponse.From(user))
            : NotFound(id);

    internal static async Task<Results<Ok<UserResponse>, ProblemHttpResult>> ChangeUser(
        Guid id, ChangeUserRequest request, ChangeUser change, CancellationToken cancellationToken) =>
        await change.ChangeAsync(id, request.Name, request.Email, cancellationToken) switch
        {
            ChangeUserResult.Changed(var user) => TypedResults.Ok(UserResponse.From(user)),
            ChangeUserResult.Unchanged(var user) => TypedResults.Ok(UserResponse.From(user)),
            ChangeUserResult.UnknownUser => NotFound(id),
            ChangeUserResult.EmailTaken(var email) => EmailTaken(email),
            ChangeUserResult.ChangedConcurrently => ChangedConcurrently(id),
            var other => throw new UnreachableException($"Unexpected {other}"),
        };

    internal static async Task<Results<NoContent, ProblemHttpResult>> DeleteUser(
        Guid id, DeleteUser delete, CancellationToken cancellationToken) =>
        await delete.DeleteAsync(id, cancellationToken) switch
        {
            DeleteUserResult.Deleted => TypedResults.NoContent(),
            DeleteUserResult.UnknownUser => NotFound(id),
            DeleteUserResult.ChangedConcurrently => ChangedConcurrently(id),
            var other => throw new UnreachableException($"Unexpected {other}"),
        };

    private static ProblemHttpResult NotFound(Guid id) =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Unknown user", detail: $"There is no user {id}.");

    private static ProblemHttpResult EmailTaken(string email) =>
        TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "Email already in use",
            detail: $"Another user already signed up with '{email}' (emails are compared ignoring case).");

    private static ProblemHttpResult ChangedConcurrently(Guid id) =>
        TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "Concurrent change",
            detail: $"User {id} was changed by another request at the same time; read it again and retry.");
}
