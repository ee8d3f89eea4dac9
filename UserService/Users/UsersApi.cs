using System.Diagnostics;
using System.Security.Claims;
using ConcertBooking.ServiceDefaults;
using ConcertBooking.ServiceDefaults.Authentication;
using ConcertBooking.UserService.Data;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace ConcertBooking.UserService.Users;

/// <summary>
/// Anyone may sign up; everything else acts on the caller's own account, named by <c>/users/me</c> or by its id. An id
/// that is not the caller's is refused with 403 before anything is looked up; operators (the ops key) may read any user.
/// </summary>
public static class UsersApi
{
    public static IEndpointRouteBuilder MapUsersApi(this IEndpointRouteBuilder app)
    {
        // Authorization per endpoint, not on the group: policies on both would have to pass together, and an
        // operator reading a user has no user token.
        var users = app.MapGroup("/users").WithTags("Users");

        users.MapPost("/", SignUp).WithValidation<SignUpRequest>().WithName("SignUp").AllowAnonymous()
            .RequireRateLimiting(RateLimitPolicies.SignUp)
            .WithSummary("Sign up with a name, an email and a password (15+ characters); UserCreated is published after commit.");
        users.MapGet("/me", GetMe).WithName("GetMe").RequireAuthorization().WithSummary("The signed-in user.");
        users.MapPatch("/me", ChangeMe).WithValidation<ChangeUserRequest>().WithName("ChangeMe").RequireAuthorization()
            .WithSummary("Rename and/or change the signed-in user's email; UserUpdated carries the new version.");
        users.MapDelete("/me", DeleteMe).WithName("DeleteMe").RequireAuthorization().WithSummary("Delete the signed-in user; replicas keep a tombstone.");
        users.MapGet("/{id:guid}", GetUser).WithName("GetUser").RequireSelf("id", allowOperators: true)
            .WithSummary("A user: the user themself, or an operator.");
        users.MapPatch("/{id:guid}", ChangeUser).WithValidation<ChangeUserRequest>().WithName("ChangeUser").RequireSelf("id")
            .WithSummary("Rename and/or change the email of the caller's own account; UserUpdated carries the new version.");
        users.MapDelete("/{id:guid}", DeleteUser).WithName("DeleteUser").RequireSelf("id");
        return app;
    }

    internal static async Task<Results<Created<UserResponse>, ProblemHttpResult>> SignUp(
        SignUpRequest request, SignUpUser signUp, CancellationToken cancellationToken) =>
        await signUp.SignUpAsync(request.Name!, request.Email!, request.Password!, cancellationToken) switch
        {
            SignUpResult.SignedUp(var user) => TypedResults.Created($"/users/{user.Id}", UserResponse.From(user)),
            SignUpResult.EmailTaken(var email) => EmailTaken(email),
            var other => throw new UnreachableException($"Unexpected {other}"),
        };

    internal static Task<Results<Ok<UserResponse>, ProblemHttpResult>> GetMe(
        ClaimsPrincipal caller, UserDbContext db, CancellationToken cancellationToken) =>
        GetUser(caller.UserId(), db, cancellationToken);

    internal static async Task<Results<Ok<UserResponse>, ProblemHttpResult>> GetUser(
        Guid id, UserDbContext db, CancellationToken cancellationToken) =>
        await db.Users.AsNoTracking().FirstOrDefaultAsync(u => u.Id == id, cancellationToken) is { } user
            ? TypedResults.Ok(UserResponse.From(user))
            : NotFound(id);

    internal static Task<Results<Ok<UserResponse>, ProblemHttpResult>> ChangeMe(
        ClaimsPrincipal caller, ChangeUserRequest request, ChangeUser change, CancellationToken cancellationToken) =>
        ChangeUser(caller.UserId(), request, change, cancellationToken);

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

    internal static Task<Results<NoContent, ProblemHttpResult>> DeleteMe(
        ClaimsPrincipal caller, DeleteUser delete, CancellationToken cancellationToken) =>
        DeleteUser(caller.UserId(), delete, cancellationToken);

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
