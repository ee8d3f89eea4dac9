using System.Net.Http.Headers;

namespace ConcertBooking.Tests.Infrastructure;

/// <summary>A signed-up user with the access token UserService issued at sign-in, as a client holds them.</summary>
public sealed record TestUser(Guid Id, string Email, string Password, string Token)
{
    public AuthenticationHeaderValue Bearer => new("Bearer", Token);

    /// <summary>The same user holding another token (an expired one, one signed with another key...).</summary>
    public TestUser WithToken(string token) => this with { Token = token };
}
