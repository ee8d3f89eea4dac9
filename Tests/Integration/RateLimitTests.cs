using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using ConcertBooking.Tests.Infrastructure;
using Microsoft.AspNetCore.Mvc.Testing;

namespace ConcertBooking.Tests.Integration;

/// <summary>
/// The rate limits on signup, queue entry, reservation and payment, on the real services: the request past a client
/// address's limit gets 429 with a problem document and <c>Retry-After</c>; another address is not affected; a trusted
/// proxy's <c>X-Forwarded-For</c> names the client, anyone else's is ignored. (The per-user window, keyed by the
/// token's <c>sub</c>, is shown in <see cref="Unit.RateLimitPartitionTests"/> until services issue tokens.)
/// The in-memory test server has no client address: each test sets one per request, as Kestrel would.
/// </summary>
[TestFixture]
[Category(TestCategories.Integration)]
public sealed class RateLimitTests
{
    private const int Permits = 3;
    private const string TrustedProxy = "10.99.0.1";

    private ConcertBookingSystem _system = null!;

    [OneTimeSetUp]
    public async Task StartSystem()
    {
        var booking = BookingDriver.Options();
        _system = await ConcertBookingSystem.StartAsync(new SystemOptions
        {
            Settings = service =>
            [
                .. booking.Settings(service),
                .. new[] { "SignUp", "QueueEntry", "Reservation", "Payment" }.SelectMany(rule => new KeyValuePair<string, string?>[]
                {
                    new($"RateLimits:{rule}:PermitsPerAddress", Permits.ToString(System.Globalization.CultureInfo.InvariantCulture)),
                    new($"RateLimits:{rule}:Window", "00:10:00"),
                }),
                new("ForwardedHeaders:KnownProxies:0", TrustedProxy),
            ],
        });
    }

    [OneTimeTearDown]
    public async Task StopSystem() => await _system.DisposeAsync();

    [Test]
    public async Task The_signup_past_the_limit_of_an_address_is_429_with_retry_after_and_another_address_still_signs_up()
    {
        using var client = Client(_system.Users, NewAddress());
        for (var i = 0; i < Permits; i++)
        {
            Assert.That((await SignUpAsync(client)).StatusCode, Is.EqualTo(HttpStatusCode.Created), $"signup {i + 1}");
        }

        using var refused = await SignUpAsync(client);
        await AssertTooManyRequestsAsync(refused);

        using var other = Client(_system.Users, NewAddress());
        Assert.That((await SignUpAsync(other)).StatusCode, Is.EqualTo(HttpStatusCode.Created), "another address");
    }

    [Test]
    public async Task Behind_a_trusted_proxy_each_forwarded_client_has_its_own_limit()
    {
        using var proxy = Client(_system.Users, IPAddress.Parse(TrustedProxy));
        var first = NewAddress().ToString();
        for (var i = 0; i < Permits; i++)
        {
            Assert.That((await SignUpAsync(proxy, first)).StatusCode, Is.EqualTo(HttpStatusCode.Created), $"signup {i + 1}");
        }

        await AssertTooManyRequestsAsync(await SignUpAsync(proxy, first));
        Assert.That((await SignUpAsync(proxy, NewAddress().ToString())).StatusCode, Is.EqualTo(HttpStatusCode.Created), "another client of the proxy");
    }

    [Test]
    public async Task A_client_that_is_not_a_trusted_proxy_cannot_escape_its_limit_with_x_forwarded_for()
    {
        using var client = Client(_system.Users, NewAddress());
        for (var i = 0; i < Permits; i++)
        {
            Assert.That((await SignUpAsync(client, NewAddress().ToString())).StatusCode, Is.EqualTo(HttpStatusCode.Created), $"signup {i + 1}");
        }

        await AssertTooManyRequestsAsync(await SignUpAsync(client, NewAddress().ToString()));
    }

    /// <summary>The limiter runs before the body is read or validated: even refused bodies spend the permits.</summary>
    [TestCase("token", "/queue/7e570000-0000-4000-8000-000000000001/tokens", TestName = "Queue entry past the limit of an address is 429")]
    [TestCase("concert", "/reservations", TestName = "Reservation past the limit of an address is 429")]
    [TestCase("payment", "/payments", TestName = "Payment past the limit of an address is 429")]
    [TestCase("payment", "/wallets/7e570000-0000-4000-8000-0000000000ff/charge", TestName = "Wallet top-up past the limit of an address is 429")]
    public async Task A_rate_limited_action_past_the_limit_of_an_address_is_429(string service, string path)
    {
        using var client = ClientOf(service, NewAddress());
        for (var i = 0; i < Permits; i++)
        {
            using var allowed = await client.PostAsJsonAsync(path, new { });
            Assert.That(allowed.StatusCode, Is.Not.EqualTo(HttpStatusCode.TooManyRequests), $"request {i + 1}");
        }

        await AssertTooManyRequestsAsync(await client.PostAsJsonAsync(path, new { }));
        using var other = ClientOf(service, NewAddress());
        Assert.That((await other.PostAsJsonAsync(path, new { })).StatusCode, Is.Not.EqualTo(HttpStatusCode.TooManyRequests), "another address");
    }

    private static async Task AssertTooManyRequestsAsync(HttpResponseMessage response)
    {
        using (response)
        {
            var body = await response.Content.ReadAsStringAsync();
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.TooManyRequests), body);
            Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/problem+json"), body);
            // The window (10 minutes) began with the address's first request, a few seconds ago: that long, less those seconds.
            Assert.That(response.Headers.RetryAfter?.Delta, Is.InRange(TimeSpan.FromMinutes(9), TimeSpan.FromMinutes(10)),
                "Retry-After in seconds: when the window ends");
            using var problem = JsonDocument.Parse(body);
            Assert.That(problem.RootElement.GetProperty("status").GetInt32(), Is.EqualTo(429));
        }
    }

    private static Task<HttpResponseMessage> SignUpAsync(HttpClient client, string? forwardedFor = null)
    {
        var id = Guid.NewGuid();
        var request = new HttpRequestMessage(HttpMethod.Post, "/users")
        {
            // The password is for when signup takes one; until then it is an unknown property, which is ignored.
            Content = JsonContent.Create(new { name = "Limited", email = $"limited-{id:N}@example.com", password = "limited-password-" + id }),
        };
        if (forwardedFor is not null)
        {
            request.Headers.Add("X-Forwarded-For", forwardedFor);
        }

        return client.SendAsync(request);
    }

    private HttpClient ClientOf(string service, IPAddress address) => service switch
    {
        "token" => Client(_system.Token, address),
        "concert" => Client(_system.Concert, address),
        "payment" => Client(_system.Payment, address),
        _ => Client(_system.Users, address),
    };

    /// <summary>A client whose requests arrive from <paramref name="address"/>, as Kestrel would report it.</summary>
    private static HttpClient Client<TEntryPoint>(WebApplicationFactory<TEntryPoint> host, IPAddress address)
        where TEntryPoint : class =>
        new(host.Server.CreateHandler(context => context.Connection.RemoteIpAddress = address)) { BaseAddress = host.Server.BaseAddress };

    private static IPAddress NewAddress() => new([198, 18, (byte)Random.Shared.Next(256), (byte)Random.Shared.Next(1, 255)]);
}
