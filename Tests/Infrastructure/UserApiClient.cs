using System.Net;
using System.Net.Http.Json;
using ConcertBooking.UserService.Identity;
using ConcertBooking.UserService.Users;

namespace ConcertBooking.Tests.Infrastructure;

/// <summary>UserService as a client uses it: sign up with a password, sign in for an access token, send it along.</summary>
public static class UserApiClient
{
    /// <summary>Every test user's password: long enough for the policy (15+ characters) and on no blocklist.</summary>
    public const string Password = "tests sign in with this passphrase 7391";

    public static async Task<UserResponse> SignUpAsync(this HttpClient client, string name, string? email = null, string password = Password)
    {
        var response = await client.PostAsJsonAsync("/users", new { name, email = email ?? UniqueEmail(), password });
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created), await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<UserResponse>())!;
    }

    /// <summary>POST /auth/token; the raw answer, for tests of the refusals.</summary>
    public static Task<HttpResponseMessage> SignInRawAsync(this HttpClient client, string email, string password = Password) =>
        client.PostAsJsonAsync("/auth/token", new { email, password });

    public static async Task<AccessTokenResponse> SignInAsync(this HttpClient client, string email, string password = Password)
    {
        var response = await client.SignInRawAsync(email, password);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<AccessTokenResponse>())!;
    }

    /// <summary>Signs a user up and in: the user with an access token to send.</summary>
    public static async Task<TestUser> SignUpAndInAsync(this HttpClient client, string name, string? email = null)
    {
        var user = await client.SignUpAsync(name, email);
        var token = await client.SignInAsync(user.Email);
        return new TestUser(user.Id, user.Email, Password, token.AccessToken);
    }

    /// <summary>A request with the user's access token.</summary>
    public static Task<HttpResponseMessage> SendAsAsync(this HttpClient client, TestUser? user, HttpMethod method, string path, object? body = null)
    {
        var request = new HttpRequestMessage(method, path) { Content = body is null ? null : JsonContent.Create(body) };
        request.Headers.Authorization = user?.Bearer;
        return client.SendAsync(request);
    }

    public static async Task<T> GetAsAsync<T>(this HttpClient client, TestUser user, string path)
    {
        var response = await client.SendAsAsync(user, HttpMethod.Get, path);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), $"GET {path}: {await response.Content.ReadAsStringAsync()}");
        return (await response.Content.ReadFromJsonAsync<T>())!;
    }

    public static string UniqueEmail(string prefix = "user") => $"{prefix}.{Guid.NewGuid():N}@example.com";
}
