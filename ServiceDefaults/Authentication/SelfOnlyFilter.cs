using Microsoft.AspNetCore.Http;

namespace ConcertBooking.ServiceDefaults.Authentication;

/// <summary>
/// A route that names a user in its path (<c>/users/{id}</c>, <c>/wallets/{userId}</c>) acts only for the caller: the
/// path must name the token's own user, or the caller must be an operator where operators are allowed. Decided from
/// the token and the path alone, before anything is looked up, so the answer (403) says nothing about the other user.
/// </summary>
internal sealed class SelfOnlyFilter(string routeParameter, bool allowOperators) : IEndpointFilter
{
    public ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var caller = context.HttpContext.User;
        if (allowOperators && caller.IsOperator())
        {
            return next(context);
        }

        var named = context.HttpContext.Request.RouteValues[routeParameter]?.ToString();
        return caller.TryGetUserId(out var userId) && Guid.TryParse(named, out var pathUser) && pathUser == userId
            ? next(context)
            : ValueTask.FromResult<object?>(TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Not your account",
                detail: "A user may act only on their own account: the path names another user than the access token's."));
    }
}
