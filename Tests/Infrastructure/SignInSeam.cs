using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace ConcertBooking.Tests.Infrastructure;

/// <summary>
/// A bearer token for tests that run with or without sign-in: when UserService's OpenAPI document has
/// <c>POST /auth/token</c>, a user signs up with a password and signs in; without it there is no token to get.
/// </summary>
public static class SignInSeam
{
    public const string TokenPath = "/auth/token";

    /// <returns>The access token, or null when the service issues none.</returns>
    public static async Task<string?> TryGetTokenAsync(HttpClient users, JsonNode usersOpenApi, string email, string password)
    {
        if (usersOpenApi["paths"]?[TokenPath]?["post"] is null)
        {
            return null;
        }

        using var signIn = await users.PostAsJsonAsync(TokenPath, new { email, password });
        signIn.EnsureSuccessStatusCode();
        using var body = JsonDocument.Parse(await signIn.Content.ReadAsStringAsync());
        foreach (var name in new[] { "accessToken", "access_token", "token" })
        {
            if (body.RootElement.TryGetProperty(name, out var token) && token.ValueKind == JsonValueKind.String)
            {
                return token.GetString();
            }
        }

        throw new InvalidOperationException($"{TokenPath} answered without an access token: {body.RootElement}");
    }
}
