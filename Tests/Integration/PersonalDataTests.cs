using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using ConcertBooking.Contracts;
using ConcertBooking.Tests.Infrastructure;
using ConcertBooking.TokenService.Data;
using ConcertBooking.UserService.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;

namespace ConcertBooking.Tests.Integration;

/// <summary>
/// A deleted user's name and email leave every service: the event says only who and which version, the replicas'
/// tombstones keep neither, and the user's queue tokens go. An expected conflict is not an error in the logs.
/// </summary>
[TestFixture]
[Category(TestCategories.Integration)]
public sealed class PersonalDataTests
{
    private readonly FakeLogCollector _userServiceLogs = new();
    private ConcertBookingSystem _system = null!;
    private BookingDriver _booking = null!;

    [OneTimeSetUp]
    public async Task StartSystem()
    {
        var booking = BookingDriver.Options();
        _system = await ConcertBookingSystem.StartAsync(new SystemOptions
        {
            // EF Core's own categories too, which the test hosts otherwise silence: what they log is the question.
            Settings = service => service == "users"
                ? [new("Logging:LogLevel:Microsoft.EntityFrameworkCore", "Warning")]
                : booking.Settings(service),
            TestServices = service => service == "users"
                ? services => services.AddSingleton<ILoggerProvider>(new FakeLoggerProvider(_userServiceLogs))
                : null,
        });
        _booking = new BookingDriver(_system);
    }

    [OneTimeTearDown]
    public async Task StopSystem()
    {
        _booking.Dispose();
        await _system.DisposeAsync();
    }

    [Test]
    public async Task UserDeleted_carries_the_id_and_version_only()
    {
        var email = UserApiClient.UniqueEmail("erased");
        var user = await _booking.Users.SignUpAndInAsync("Erased Person", email);

        Assert.That((await _booking.Users.SendAsAsync(user, HttpMethod.Delete, $"/users/{user.Id}")).StatusCode, Is.EqualTo(HttpStatusCode.NoContent));

        var deleted = (await BookingDriver.OutboxOfAsync<UserDbContext, UserDeleted>(_system.Users.Services))
            .Single(m => m.PartitionKey == user.Id.ToString());
        using var body = JsonDocument.Parse(deleted.Body);
        var properties = body.RootElement.EnumerateObject().Select(p => p.Name.ToLowerInvariant()).ToList();
        Assert.That(properties, Is.EquivalentTo(new[] { "userid", "version", "occurredat" }), deleted.Body);
        Assert.That(deleted.Body, Does.Not.Contain(email).IgnoreCase.And.Not.Contain("Erased Person"));
    }

    [Test]
    public async Task A_deleted_user_s_tombstone_keeps_no_name_or_email_in_any_replica()
    {
        var user = await _booking.SignUpReplicatedAsync("Soon Forgotten");
        await _booking.Users.SendAsAsync(user, HttpMethod.Patch, $"/users/{user.Id}", new { name = "Renamed Before Leaving" });

        Assert.That((await _booking.Users.SendAsAsync(user, HttpMethod.Delete, $"/users/{user.Id}")).StatusCode, Is.EqualTo(HttpStatusCode.NoContent));

        var tombstones = await _system.AllReplicasReachAsync(user.Id, version: 3);
        Assert.Multiple(() =>
        {
            foreach (var tombstone in tombstones)
            {
                Assert.That((tombstone.IsDeleted, tombstone.Version), Is.EqualTo((true, 3L)));
                Assert.That(tombstone.Name, Is.Null, "no name on the tombstone");
                Assert.That(tombstone.Email, Is.Null, "no email on the tombstone");
            }
        });
    }

    [Test]
    public async Task Deleting_a_user_removes_their_queue_tokens_and_entry_passes_from_TokenService()
    {
        var user = await _booking.SignUpReplicatedAsync("Queued Then Gone");
        var keeper = await _booking.SignUpReplicatedAsync("Stays");
        var token = await _booking.EnterQueueAsync(BookingDriver.TestConcertId, user);
        await _booking.WaitUntilAdmittedAsync(user, token.TokenId);
        var kept = await _booking.EnterQueueAsync(BookingDriver.TestConcertId, keeper);

        Assert.That((await _booking.Users.SendAsAsync(user, HttpMethod.Delete, $"/users/{user.Id}")).StatusCode, Is.EqualTo(HttpStatusCode.NoContent));

        await Eventually.Until(() => TokensOfAsync(user.Id), count => count == 0, $"the queue tokens of deleted user {user.Id} removed");
        // The deleted user's access token is still within its lifetime: the pass is gone all the same.
        Assert.That((await _booking.Token.SendAsAsync(user, HttpMethod.Get, $"/queue/tokens/{token.TokenId}")).StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        Assert.That((await _booking.Token.SendAsAsync(keeper, HttpMethod.Get, $"/queue/tokens/{kept.TokenId}")).StatusCode, Is.EqualTo(HttpStatusCode.OK),
            "other users keep theirs");
    }

    [Test]
    public async Task A_taken_email_is_a_409_that_is_not_logged_as_an_error_and_logs_no_email()
    {
        var marker = Guid.NewGuid().ToString("N");
        var email = $"taken.{marker}@example.com";
        await _booking.Users.SignUpAsync("First Owner", email);
        var other = await _booking.Users.SignUpAndInAsync("Second Owner");
        _userServiceLogs.Clear();

        var signup = await _booking.Users.PostAsJsonAsync("/users", new { name = "Copycat", email = email.ToUpperInvariant(), password = UserApiClient.Password });
        var change = await _booking.Users.SendAsAsync(other, HttpMethod.Patch, $"/users/{other.Id}", new { email });
        var racing = await Task.WhenAll(Enumerable.Range(0, 10).Select(i =>
            _booking.Users.PostAsJsonAsync("/users", new { name = $"Racer {i}", email = $"racing.{marker}@example.com", password = UserApiClient.Password })));

        Assert.That(signup.StatusCode, Is.EqualTo(HttpStatusCode.Conflict));
        Assert.That(change.StatusCode, Is.EqualTo(HttpStatusCode.Conflict));
        Assert.That(racing.Count(r => r.StatusCode == HttpStatusCode.Conflict), Is.EqualTo(9));
        var records = _userServiceLogs.GetSnapshot();
        Assert.Multiple(() =>
        {
            Assert.That(records.Where(r => r.Level >= LogLevel.Error).Select(Describe), Is.Empty, "no errors for an expected conflict");
            Assert.That(records.Where(r => Describe(r).Contains(marker, StringComparison.OrdinalIgnoreCase)).Select(Describe), Is.Empty,
                "no email in any log record");
        });
    }

    private static string Describe(FakeLogRecord record) => $"{record.Level} {record.Category}: {record.Message} {record.Exception}";

    private Task<int> TokensOfAsync(Guid userId) =>
        _system.Token.WithScopeAsync(services => services.GetRequiredService<TokenDbContext>().QueueTokens.CountAsync(t => t.UserId == userId));
}
