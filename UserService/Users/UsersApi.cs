using ConcertBooking.Database;
using ConcertBooking.Messaging.Outbox;
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

        users.MapPost("/", SignUp).WithValidation<SignUpRequest>().WithName("SignUp")
            .WithSummary("Sign up a user; UserCreated is published after commit.");
        users.MapGet("/{id:guid}", GetUser).WithName("GetUser");
        users.MapPatch("/{id:guid}", ChangeUser).WithValidation<ChangeUserRequest>().WithName("ChangeUser")
            .WithSummary("Rename and/or change the email; UserUpdated carries the new version.");
        users.MapDelete("/{id:guid}", DeleteUser).WithName("DeleteUser");
        return app;
    }

    internal static async Task<Results<Created<UserResponse>, ProblemHttpResult>> SignUp(
        SignUpRequest request, UserDbContext db, IOutbox outbox, TimeProvider time, CancellationToken cancellationToken)
    {
        // No lookup first: the unique index on the normalised email answers a taken email in the same round trip
        // as the insert, and it is what decides between concurrent signups anyway.
        var (user, created) = User.SignUp(request.Name!, request.Email!, time.GetUtcNow());
        db.Users.Add(user);
        outbox.Add(created, partitionKey: user.Id.ToString());
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException exception) when (exception.IsUniqueViolation())
        {
            return EmailTaken(user.Email);
        }

        return TypedResults.Created($"/users/{user.Id}", UserResponse.From(user));
    }

    internal static async Task<Results<Ok<UserResponse>, ProblemHttpResult>> GetUser(
        Guid id, UserDbContext db, CancellationToken cancellationToken) =>
        await db.Users.AsNoTracking().FirstOrDefaultAsync(u => u.Id == id, cancellationToken) is { } user
            ? TypedResults.Ok(UserResponse.From(user))
            : NotFound(id);

    internal static async Task<Results<Ok<UserResponse>, ProblemHttpResult>> ChangeUser(
        Guid id, ChangeUserRequest request, UserDbContext db, IOutbox outbox, TimeProvider time, CancellationToken cancellationToken)
    {
        var user = await db.Users.FirstOrDefaultAsync(u => u.Id == id, cancellationToken);
        if (user is null)
        {
            return NotFound(id);
        }

        if (request.Email is not null
            && await db.Users.AnyAsync(u => u.Id != id && u.NormalizedEmail == User.Normalize(request.Email), cancellationToken))
        {
            return EmailTaken(request.Email.Trim());
        }

        if (user.Change(request.Name, request.Email, time.GetUtcNow()) is { } updated)
        {
            outbox.Add(updated, partitionKey: user.Id.ToString());
            try
            {
                await db.SaveChangesAsync(cancellationToken);
            }
            catch (DbUpdateConcurrencyException)
            {
                return ChangedConcurrently(id);
            }
            catch (DbUpdateException exception) when (exception.IsUniqueViolation())
            {
                return EmailTaken(user.Email);
            }
        }

        return TypedResults.Ok(UserResponse.From(user));
    }

    internal static async Task<Results<NoContent, ProblemHttpResult>> DeleteUser(
        Guid id, UserDbContext db, IOutbox outbox, TimeProvider time, CancellationToken cancellationToken)
    {
        var user = await db.Users.FirstOrDefaultAsync(u => u.Id == id, cancellationToken);
        if (user is null)
        {
            return NotFound(id);
        }

        db.Users.Remove(user);
        outbox.Add(user.Delete(time.GetUtcNow()), partitionKey: user.Id.ToString());
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateConcurrencyException)
        {
            return ChangedConcurrently(id);
        }

        return TypedResults.NoContent();
    }

    private static ProblemHttpResult NotFound(Guid id) =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Unknown user", detail: $"There is no user {id}.");

    private static ProblemHttpResult EmailTaken(string email) =>
        TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "Email already in use",
            detail: $"Another user already signed up with '{email}' (emails are compared ignoring case).");

    private static ProblemHttpResult ChangedConcurrently(Guid id) =>
        TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "Concurrent change",
            detail: $"User {id} was changed by another request at the same time; read it again and retry.");
}
