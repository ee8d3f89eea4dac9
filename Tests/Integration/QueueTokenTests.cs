using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using ConcertBooking.Tests.Infrastructure;
using ConcertBooking.TokenService.Data;
using ConcertBooking.TokenService.Queue;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ConcertBooking.Tests.Integration;

/// <summary>
/// TokenService answers a racing re-entry with the token's state. Each test runs a system of its own, with the queue
/// settings it needs.
/// </summary>
[TestFixture]
[Category(TestCategories.Integration)]
public sealed class QueueTokenTests
{
    [Test]
    public async Task Many_concurrent_re_entries_of_an_expired_token_all_answer_with_the_token_s_state()
    {
        await using var system = await ConcertBookingSystem.StartAsync(BookingDriver.Options(
            token: [("Queue:AdmissionLifetime", "00:00:01")]));
        using var booking = new BookingDriver(system);
        var userId = await booking.SignUpReplicatedAsync("Impatient");
        var token = await booking.EnterQueueAsync(BookingDriver.TestConcertId, userId);
        await booking.WaitUntilAdmittedAsync(token.TokenId);
        await Eventually.Until(() => booking.Token.GetFromJsonAsync<QueueTokenResponse>($"/queue/tokens/{token.TokenId}"),
            t => t!.Status == "Expired", $"token {token.TokenId} expired");

        var responses = await Task.WhenAll(Enumerable.Range(0, 30).Select(_ => booking.EnterQueueRawAsync(BookingDriver.TestConcertId, userId)));

        var bodies = await Task.WhenAll(responses.Select(r => r.Content.ReadAsStringAsync()));
        Assert.That(responses.Select(r => r.StatusCode), Is.All.EqualTo(HttpStatusCode.OK), string.Join("\n", bodies.Distinct()));
        var answers = bodies.Select(b => JsonSerializer.Deserialize<QueueTokenResponse>(b, JsonSerializerOptions.Web)!).ToList();
        Assert.That(answers.Select(a => a.TokenId), Is.All.EqualTo(token.TokenId), "the same token, requeued once");
        Assert.That(answers.Select(a => a.Status), Is.All.AnyOf("Waiting", "Admitted"));
        Assert.That(await TokenCountAsync(system, t => t.UserId == userId), Is.EqualTo(1));
    }

    private static Task<int> TokenCountAsync(ConcertBookingSystem system, System.Linq.Expressions.Expression<Func<QueueToken, bool>> where) =>
        system.Token.WithScopeAsync(services => services.GetRequiredService<TokenDbContext>().QueueTokens.CountAsync(where));
}
