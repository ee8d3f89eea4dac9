using System.Diagnostics;
using System.Globalization;
using ConcertBooking.ServiceDefaults;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Net.Http.Headers;

namespace ConcertBooking.UserService.Identity;

public static class SignInApi
{
    public static IEndpointRouteBuilder MapSignInApi(this IEndpointRouteBuilder app)
    {
        app.MapPost("/auth/token", IssueToken).WithValidation<SignInRequest>().WithName("SignIn").WithTags("Sign-in")
            .AllowAnonymous()
            .RequireRateLimiting(RateLimitPolicies.SignIn)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status429TooManyRequests)
            .WithSummary("Exchange email and password for a short-lived access token (JWT, ES256); send it as Authorization: Bearer.");
        return app;
    }

    internal static async Task<Results<Ok<AccessTokenResponse>, ProblemHttpResult>> IssueToken(
        SignInRequest request, SignIn signIn, HttpResponse response, TimeProvider time, CancellationToken cancellationToken)
    {
        // A token is a credential: no cache along the way may keep it (RFC 6749 §5.1).
        response.Headers.CacheControl = "no-store";
        return await signIn.SignInAsync(request.Email!, request.Password!, cancellationToken) switch
        {
            SignInResult.SignedIn(var userId, var token) => TypedResults.Ok(AccessTokenResponse.From(userId, token, time.GetUtcNow())),
            SignInResult.InvalidCredentials => TypedResults.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "Sign-in failed",
                detail: "The email or the password is wrong."),
            SignInResult.LockedOut(var retryAfter) => LockedOut(response, retryAfter),
            var other => throw new UnreachableException($"Unexpected {other}"),
        };
    }

    private static ProblemHttpResult LockedOut(HttpResponse response, TimeSpan retryAfter)
    {
        var seconds = (int)Math.Ceiling(Math.Max(1, retryAfter.TotalSeconds));
        response.Headers[HeaderNames.RetryAfter] = seconds.ToString(CultureInfo.InvariantCulture);
        return TypedResults.Problem(statusCode: StatusCodes.Status429TooManyRequests, title: "Too many failed sign-ins",
            detail: $"Sign-in for this email is paused after repeated failures; try again in {seconds} seconds.");
    }
}
