using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using ConcertBooking.Contracts;
using ConcertBooking.Tests.Infrastructure;
using ConcertBooking.UserService.Data;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace ConcertBooking.Tests.Integration;

/// <summary>
/// UserService as the issuer: a password for an ES256 access token with a <c>kid</c>, that the other services check
/// locally with the public key(s) they are configured with; failures slowed to a lockout; tokens the services must
/// refuse; two keys valid at once for a rotation.
/// </summary>
[TestFixture]
[Category(TestCategories.Integration)]
public sealed class SignInTests
{
    private const int MaxFailedSignIns = 3;
    private const string RotatedKeyId = "rotated-2";
    private readonly ECDsa _rotatedKey = TestSecrets.NewKey();
    private ConcertBookingSystem _system = null!;
    private BookingDriver _booking = null!;

    [OneTimeSetUp]
    public async Task StartSystem()
    {
        var booking = BookingDriver.Options();
        _system = await ConcertBookingSystem.StartAsync(new SystemOptions
        {
            Settings = service => service switch
            {
                "users" => [new("Identity:MaxFailedSignIns", MaxFailedSignIns.ToString())],
                // ConcertService is mid-rotation: it knows the run's key and the next one; the others know the run's only.
                "concert" =>
                [
                    .. booking.Settings(service),
                    new("Authentication:IssuerKeys:1:KeyId", RotatedKeyId),
                    new("Authentication:IssuerKeys:1:PublicKeyPem", _rotatedKey.ExportSubjectPublicKeyInfoPem()),
                ],
                _ => booking.Settings(service),
            },
        });
        _booking = new BookingDriver(_system);
    }

    [OneTimeTearDown]
    public async Task StopSystem()
    {
        _booking.Dispose();
        await _system.DisposeAsync();
        _rotatedKey.Dispose();
    }

    [Test]
    public async Task Signing_in_gives_a_short_lived_ES256_token_with_a_kid_that_every_service_checks_locally()
    {
        var user = await _booking.SignUpReplicatedAsync("Signs In");

        var token = new JsonWebToken(user.Token);

        Assert.Multiple(() =>
        {
            Assert.That(token.Alg, Is.EqualTo("ES256"));
            Assert.That(token.Kid, Is.EqualTo(TestSecrets.KeyId));
            Assert.That(token.Subject, Is.EqualTo(user.Id.ToString()));
            Assert.That(token.Issuer, Is.EqualTo(TestSecrets.Issuer));
            Assert.That(token.Audiences, Is.EqualTo(new[] { TestSecrets.Audience }));
            Assert.That(token.ValidTo - token.IssuedAt, Is.LessThanOrEqualTo(TimeSpan.FromMinutes(15)));
            Assert.That(user.Token, Does.Not.Contain(user.Email).And.Not.Contain(user.Password), "the token carries the id only");
        });
        foreach (var (name, client) in Clients())
        {
            var path = name == "users" ? "/users/me" : $"/users/{user.Id}";
            var response = await client.SendAsAsync(user, HttpMethod.Get, path);
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), $"{name} {path}: {await response.Content.ReadAsStringAsync()}");
        }
    }

    [Test]
    public async Task A_wrong_password_and_an_unknown_email_get_the_same_401()
    {
        var user = await _booking.Users.SignUpAndInAsync("Mistyped");

        var wrongPassword = await _booking.Users.SignInRawAsync(user.Email, "not the password at all, sorry");
        var unknownEmail = await _booking.Users.SignInRawAsync(UserApiClient.UniqueEmail("nobody"));

        var bodies = new[] { await wrongPassword.Content.ReadFromJsonAsync<ProblemBody>(), await unknownEmail.Content.ReadFromJsonAsync<ProblemBody>() };
        Assert.That(new[] { wrongPassword.StatusCode, unknownEmail.StatusCode }, Is.All.EqualTo(HttpStatusCode.Unauthorized));
        Assert.That(bodies[0], Is.EqualTo(bodies[1]), "nothing tells a known email from an unknown one");
    }

    [Test]
    public async Task Repeated_failures_lock_the_email_out_even_for_the_right_password_and_no_one_else()
    {
        var user = await _booking.Users.SignUpAndInAsync("Targeted");
        var bystander = await _booking.Users.SignUpAndInAsync("Bystander");

        for (var i = 0; i < MaxFailedSignIns; i++)
        {
            Assert.That((await _booking.Users.SignInRawAsync(user.Email, $"guess number {i} of the attacker")).StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        }

        var locked = await _booking.Users.SignInRawAsync(user.Email);

        Assert.That(locked.StatusCode, Is.EqualTo(HttpStatusCode.TooManyRequests), await locked.Content.ReadAsStringAsync());
        Assert.That(locked.Headers.RetryAfter?.Delta, Is.GreaterThan(TimeSpan.Zero), "Retry-After says when to come back");
        Assert.That((await _booking.Users.SignInRawAsync(bystander.Email)).StatusCode, Is.EqualTo(HttpStatusCode.OK), "another email is not locked");
        TestContext.Out.WriteLine($"Verified: {MaxFailedSignIns} failures, then 429 with Retry-After {locked.Headers.RetryAfter?.Delta}");
    }

    public static IEnumerable<TestCaseData> RefusedTokens()
    {
        yield return new TestCaseData("expired", (Func<Guid, string>)(id => TestTokens.Issue(id, expiresAt: DateTimeOffset.UtcNow.AddMinutes(-5)))).SetArgDisplayNames("expired");
        yield return new TestCaseData("signed with another key under the run's kid", (Func<Guid, string>)(id => TestTokens.Issue(id, key: TestSecrets.NewKey()))).SetArgDisplayNames("signed with another key under the run's kid");
        yield return new TestCaseData("of a kid no service knows", (Func<Guid, string>)(id => TestTokens.Issue(id, key: TestSecrets.NewKey(), keyId: "unknown-kid"))).SetArgDisplayNames("of a kid no service knows");
        yield return new TestCaseData("of another issuer", (Func<Guid, string>)(id => TestTokens.Issue(id, issuer: "someone-else"))).SetArgDisplayNames("of another issuer");
        yield return new TestCaseData("for another audience", (Func<Guid, string>)(id => TestTokens.Issue(id, audience: "another-system"))).SetArgDisplayNames("for another audience");
        yield return new TestCaseData("unsigned (alg none)", (Func<Guid, string>)(id => Unsigned(id))).SetArgDisplayNames("unsigned (alg none)");
        yield return new TestCaseData("with a tampered subject", (Func<Guid, string>)(id => Tampered(TestTokens.Issue(id)))).SetArgDisplayNames("with a tampered subject");
    }

    [TestCaseSource(nameof(RefusedTokens))]
    public async Task Every_service_refuses_a_token_it_must_not_trust(string what, Func<Guid, string> issue)
    {
        var user = await _booking.SignUpReplicatedAsync("Forged For");
        var forged = user.WithToken(issue(user.Id));

        foreach (var (name, client) in Clients())
        {
            var path = name == "users" ? "/users/me" : $"/users/{user.Id}";
            var response = await client.SendAsAsync(forged, HttpMethod.Get, path);
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized), $"{name}: a token {what}");
        }

        TestContext.Out.WriteLine($"Verified: a token {what} is 401 at all four services");
    }

    [Test]
    public async Task During_a_rotation_two_keys_are_valid_at_once_where_both_are_configured()
    {
        var user = await _booking.SignUpReplicatedAsync("Rotated");
        var withNewKey = user.WithToken(TestTokens.Issue(user.Id, key: _rotatedKey, keyId: RotatedKeyId));

        Assert.That((await _booking.Concert.SendAsAsync(user, HttpMethod.Get, $"/users/{user.Id}")).StatusCode, Is.EqualTo(HttpStatusCode.OK), "the old key");
        Assert.That((await _booking.Concert.SendAsAsync(withNewKey, HttpMethod.Get, $"/users/{user.Id}")).StatusCode, Is.EqualTo(HttpStatusCode.OK), "the new key");
        Assert.That((await _booking.Payment.SendAsAsync(withNewKey, HttpMethod.Get, $"/users/{user.Id}")).StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized),
            "a service not yet given the new public key");
        TestContext.Out.WriteLine("Verified: ConcertService accepts tokens of both keys while PaymentService, not yet given the new one, refuses it");
    }

    [Test]
    public async Task The_password_never_leaves_UserService_in_an_event()
    {
        var user = await _booking.Users.SignUpAndInAsync("Keeps A Secret");

        var created = (await BookingDriver.OutboxOfAsync<UserDbContext, UserCreated>(_system.Users.Services))
            .Single(m => m.PartitionKey == user.Id.ToString());

        Assert.That(created.Body, Does.Not.Contain(user.Password).And.Not.Contain("password").IgnoreCase.And.Not.Contain("AQAAAA"),
            "neither the password nor its hash (ASP.NET Core Identity's v3 hashes start AQAAAA) in UserCreated");
    }

    private IEnumerable<(string Name, HttpClient Client)> Clients() =>
        [("users", _booking.Users), ("concert", _booking.Concert), ("payment", _booking.Payment), ("token", _booking.Token)];

    private static string Unsigned(Guid userId)
    {
        static string Encode(string json) => Base64UrlEncoder.Encode(Encoding.UTF8.GetBytes(json));
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        return $"{Encode("""{"alg":"none","typ":"JWT"}""")}.{Encode($$"""{"sub":"{{userId}}","iss":"{{TestSecrets.Issuer}}","aud":"{{TestSecrets.Audience}}","iat":{{now}},"nbf":{{now}},"exp":{{now + 300}}}""")}.";
    }

    /// <summary>The token with its payload's subject replaced by another id, the signature left as it was.</summary>
    private static string Tampered(string token)
    {
        var parts = token.Split('.');
        var payload = Encoding.UTF8.GetString(Base64UrlEncoder.DecodeBytes(parts[1]));
        var jwt = new JsonWebToken(token);
        parts[1] = Base64UrlEncoder.Encode(Encoding.UTF8.GetBytes(payload.Replace(jwt.Subject, Guid.NewGuid().ToString(), StringComparison.Ordinal)));
        return string.Join('.', parts);
    }

    private sealed record ProblemBody(int Status, string Title, string Detail);
}
