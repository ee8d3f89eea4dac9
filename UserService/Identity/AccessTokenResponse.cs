namespace ConcertBooking.UserService.Identity;

/// <summary>The answer of <c>POST /auth/token</c>: send <see cref="AccessToken"/> as <c>Authorization: Bearer …</c> to any service.</summary>
public sealed record AccessTokenResponse(string AccessToken, string TokenType, int ExpiresIn, DateTimeOffset ExpiresAt, Guid UserId)
{
    public static AccessTokenResponse From(Guid userId, AccessToken token, DateTimeOffset now) =>
        new(token.Token, "Bearer", (int)Math.Max(0, (token.ExpiresAt - now).TotalSeconds), token.ExpiresAt, userId);
}
