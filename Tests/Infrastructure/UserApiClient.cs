using System.Net;
using System.Net.Http.Json;
using ConcertBooking.UserService.Users;

namespace ConcertBooking.Tests.Infrastructure;

public static class UserApiClient
{
    public static async Task<UserResponse> SignUpAsync(this HttpClient client, string name, string? email = null)
    {
        var response = await client.PostAsJsonAsync("/users", new { name, email = email ?? UniqueEmail() });
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created), await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<UserResponse>())!;
    }

    public static string UniqueEmail(string prefix = "user") => $"{prefix}.{Guid.NewGuid():N}@example.com";
}
