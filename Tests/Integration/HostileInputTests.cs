using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using ConcertBooking.Tests.Infrastructure;
using ConcertBooking.UserService.Data;
using ConcertBooking.UserService.Users;

namespace ConcertBooking.Tests.Integration;

/// <summary>
/// What a hostile client sends gets a 4xx problem document, never a 500: control and bidirectional characters in
/// names and emails, odd charsets, bodies over the size limit, JSON of hostile shapes. UserService listens on a real
/// Kestrel port here, the other services on the in-memory test server, so every limit is shown to hold on both.
/// </summary>
[TestFixture]
[Category(TestCategories.Integration)]
public sealed class HostileInputTests
{
    private const string Json = "application/json";

    private ConcertBookingSystem _system = null!;
    private BookingDriver _booking = null!;
    private HttpClient _kestrelUsers = null!;
    private TestUser _user = null!;

    [OneTimeSetUp]
    public async Task StartSystem()
    {
        _system = await ConcertBookingSystem.StartAsync(new SystemOptions
        {
            Settings = BookingDriver.Options().Settings,
            RealHttp = service => service == "users",
        });
        _booking = new BookingDriver(_system);
        _kestrelUsers = new HttpClient { BaseAddress = _system.Users.RealAddress };
        _user = await _booking.SignUpReplicatedAsync("Target");
    }

    [OneTimeTearDown]
    public async Task StopSystem()
    {
        _kestrelUsers.Dispose();
        _booking.Dispose();
        await _system.DisposeAsync();
    }

    /// <summary>A field and its value as JSON string contents: escapes the parser turns into the characters named.</summary>
    public static IEnumerable<TestCaseData> HostileFields()
    {
        (string Field, string Value, string What)[] cases =
        [
            ("Name", @"Ada\u0000Lovelace", "NUL"),
            ("Name", @"Ada\u0007", "C0 bell"),
            ("Name", @"Ada\u001b[31m", "C0 escape"),
            ("Name", @"Ada\nLovelace", "line feed"),
            ("Name", @"Ada\u007f", "DEL"),
            ("Name", @"Ada\u0085", "C1 next line"),
            ("Name", @"Ada\u009b", "C1 CSI"),
            ("Name", @"Ada\u202egnp.exe", "right-to-left override"),
            ("Name", @"Ada\u202aX", "left-to-right embedding"),
            ("Name", @"Ada\u2066X\u2069", "isolates"),
            ("Name", @"Ada\u200f", "right-to-left mark"),
            ("Name", @"Ada\u2028Lovelace", "line separator"),
            ("Email", @"\""a\u0000b\""@example.com", "quoted NUL"),
            ("Email", @"\""a\u0001b\""@example.com", "quoted C0"),
            ("Email", @"\""a\u0085b\""@example.com", "quoted C1"),
            ("Email", @"ada\u0000@example.com", "NUL"),
            ("Email", @"ada@exam\u0000ple.com", "NUL in the domain"),
            ("Email", @"ada\u202e@example.com", "right-to-left override"),
            ("Email", @"ada@example.com\u2067", "isolate"),
        ];
        return cases.Select(c => new TestCaseData(c.Field, c.Value).SetArgDisplayNames(c.Field, c.What));
    }

    [TestCaseSource(nameof(HostileFields))]
    public async Task A_signup_with_a_control_or_bidi_character_is_400_naming_the_field(string field, string value)
    {
        var before = await OutboxCountAsync();
        var (name, email) = field == "Name" ? (value, UserApiClient.UniqueEmail("hostile")) : ("Mallory", value);

        var response = await PostJsonAsync(_booking.Users, "/users", $$"""{"name":"{{name}}","email":"{{email}}","password":"{{UserApiClient.Password}}"}""");

        await AssertValidationProblemAsync(response, field);
        Assert.That(await OutboxCountAsync(), Is.EqualTo(before), "nothing written");
    }

    [TestCaseSource(nameof(HostileFields))]
    public async Task A_change_to_a_control_or_bidi_character_is_400_naming_the_field(string field, string value)
    {
        var user = await _booking.Users.SignUpAndInAsync("Before");
        var before = await _booking.Users.GetAsAsync<UserResponse>(user, $"/users/{user.Id}");

        var response = await SendJsonAsync(_booking.Users, HttpMethod.Patch, $"/users/{user.Id}", $$"""{"{{field.ToLowerInvariant()}}":"{{value}}"}""", user);

        await AssertValidationProblemAsync(response, field);
        Assert.That(await _booking.Users.GetAsAsync<UserResponse>(user, $"/users/{user.Id}"), Is.EqualTo(before), "unchanged");
    }

    [TestCase("""{"name":"Ada\ud800","email":"lone@example.com"}""", "$.name", TestName = "A lone high surrogate in a name is 400 pointing at the name")]
    [TestCase("""{"name":"Ada","email":"lone\udc00@example.com"}""", "$.email", TestName = "A lone low surrogate in an email is 400 pointing at the email")]
    public async Task A_lone_surrogate_cannot_even_be_read_and_the_problem_points_at_it(string body, string path)
    {
        var problem = await AssertProblemAsync(await PostJsonAsync(_booking.Users, "/users", body), HttpStatusCode.BadRequest);

        var detail = problem.RootElement.GetProperty("detail").GetString();
        Assert.That(detail, Does.Contain(path));
        Assert.That(detail, Does.Not.Contain("ConcertBooking"), "the problem names no type of the service");
    }

    [Test]
    public async Task Names_in_any_script_with_ordinary_punctuation_are_still_accepted()
    {
        foreach (var name in new[] { "Zoë O'Brien-Smith", "محمد عبد الله", "李小龍", "Åsa Ñúñez 😀", "Jean\u00a0Dupont" })
        {
            var response = await _booking.Users.PostAsJsonAsync("/users", new { name, email = UserApiClient.UniqueEmail("script"), password = UserApiClient.Password });
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created), $"{name}: {await response.Content.ReadAsStringAsync()}");
        }
    }

    [TestCase("application/json; charset=bogus", TestName = "A JSON body with charset=bogus is 415")]
    [TestCase("application/json; charset=utf-16", TestName = "A JSON body with charset=utf-16 is 415")]
    [TestCase("application/json; charset=iso-8859-1", TestName = "A JSON body with charset=iso-8859-1 is 415")]
    [TestCase("application/json; charset=\"utf-8", TestName = "A JSON body with an unterminated quoted charset is 415")]
    [TestCase("application/json; charset=", TestName = "A JSON body with an empty charset is 415")]
    public async Task A_json_body_in_a_charset_other_than_utf8_is_415(string contentType)
    {
        foreach (var client in new[] { _booking.Users, _kestrelUsers })
        {
            var before = await OutboxCountAsync();

            var response = await PostRawAsync(client, "/users", $$"""{"name":"Charset","email":"{{UserApiClient.UniqueEmail("charset")}}","password":"{{UserApiClient.Password}}"}""", contentType);

            await AssertProblemAsync(response, HttpStatusCode.UnsupportedMediaType);
            Assert.That(await OutboxCountAsync(), Is.EqualTo(before));
        }

        await AssertProblemAsync(await PostRawAsync(_booking.Token, $"/queue/{BookingDriver.TestConcertId}/tokens", "{}", contentType, _user),
            HttpStatusCode.UnsupportedMediaType);
    }

    [Test]
    public async Task A_json_body_sent_in_utf16_as_it_says_is_still_415()
    {
        var body = $$"""{"name":"Sixteen","email":"{{UserApiClient.UniqueEmail("utf16")}}","password":"{{UserApiClient.Password}}"}""";
        var content = new ByteArrayContent(Encoding.Unicode.GetBytes(body));
        content.Headers.TryAddWithoutValidation("Content-Type", "application/json; charset=utf-16");

        await AssertProblemAsync(await _booking.Users.PostAsync("/users", content), HttpStatusCode.UnsupportedMediaType);
    }

    [TestCase("application/json; charset=\"utf-8\"", TestName = "A JSON body with a quoted charset=\"utf-8\" is accepted")]
    [TestCase("application/json; charset=\"UTF-8\"", TestName = "A JSON body with a quoted charset=\"UTF-8\" is accepted")]
    [TestCase("application/json; charset=UTF-8", TestName = "A JSON body with charset=UTF-8 is accepted")]
    [TestCase("application/json;charset=utf-8", TestName = "A JSON body with charset=utf-8 and no space is accepted")]
    [TestCase("application/json", TestName = "A JSON body without a charset is accepted")]
    [TestCase("application/problem+json; charset=utf-8", TestName = "A body of a +json type in UTF-8 is accepted")]
    public async Task A_json_body_in_utf8_is_accepted_however_the_charset_is_spelled(string contentType)
    {
        foreach (var client in new[] { _booking.Users, _kestrelUsers })
        {
            var response = await PostRawAsync(client, "/users", $$"""{"name":"Zoë","email":"{{UserApiClient.UniqueEmail("utf8")}}","password":"{{UserApiClient.Password}}"}""", contentType);

            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created), await response.Content.ReadAsStringAsync());
            Assert.That((await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("name").GetString(), Is.EqualTo("Zoë"));
        }
    }

    [Test]
    public async Task A_body_over_the_limit_with_its_length_declared_is_413_and_changes_nothing()
    {
        foreach (var client in new[] { _booking.Users, _kestrelUsers })
        {
            var before = await OutboxCountAsync();

            var response = await PostRawAsync(client, "/users", PaddedSignup(64 * 1024), Json);

            await AssertProblemAsync(response, HttpStatusCode.RequestEntityTooLarge);
            Assert.That(await OutboxCountAsync(), Is.EqualTo(before));
        }

        await AssertProblemAsync(await PostRawAsync(_booking.Token, $"/queue/{BookingDriver.TestConcertId}/tokens",
            $$"""{"pad":"{{new string('x', 64 * 1024)}}"}""", Json, _user), HttpStatusCode.RequestEntityTooLarge);
    }

    /// <summary>
    /// Found by the fuzz test: the unread rest of a refused body is not drained, so Kestrel drops the connection after
    /// the 413; a client that was not told so sends its next request into the closing connection and gets no answer.
    /// </summary>
    [Test]
    public async Task A_413_for_an_unread_body_tells_the_client_the_connection_closes_and_the_next_request_is_answered()
    {
        var response = await PostRawAsync(_kestrelUsers, "/users", PaddedSignup(64 * 1024), Json);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.RequestEntityTooLarge));
        Assert.That(response.Headers.ConnectionClose, Is.True, "Connection: close on the 413");
        // Any request that needs no caller will do: the point is that it gets an answer at all.
        using var next = await _kestrelUsers.GetAsync("/health/live");
        Assert.That(next.StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }

    [Test]
    public async Task A_chunked_body_over_the_limit_is_413_and_changes_nothing()
    {
        foreach (var client in new[] { _booking.Users, _kestrelUsers })
        {
            var before = await OutboxCountAsync();
            // A stream of unknown length: HttpClient sends it chunked, with no Content-Length to refuse it by.
            var content = new StreamContent(new UnseekableStream(Encoding.UTF8.GetBytes(PaddedSignup(64 * 1024))));
            content.Headers.ContentType = new MediaTypeHeaderValue(Json);

            var response = await client.PostAsync("/users", content);

            await AssertProblemAsync(response, HttpStatusCode.RequestEntityTooLarge);
            Assert.That(await OutboxCountAsync(), Is.EqualTo(before));
        }
    }

    [Test]
    public async Task A_body_under_the_limit_is_read_whether_chunked_or_not()
    {
        foreach (var client in new[] { _booking.Users, _kestrelUsers })
        {
            Assert.That((await PostRawAsync(client, "/users", PaddedSignup(4 * 1024), Json)).StatusCode, Is.EqualTo(HttpStatusCode.Created));

            var content = new StreamContent(new UnseekableStream(Encoding.UTF8.GetBytes(PaddedSignup(4 * 1024))));
            content.Headers.ContentType = new MediaTypeHeaderValue(Json);
            var chunked = await client.PostAsync("/users", content);
            Assert.That(chunked.StatusCode, Is.EqualTo(HttpStatusCode.Created), await chunked.Content.ReadAsStringAsync());
        }
    }

    public static IEnumerable<TestCaseData> HostileJsonShapes()
    {
        var email = "shape@example.com";
        var password = UserApiClient.Password;
        yield return new TestCaseData($$"""{"name":"Deep","email":"{{email}}","password":"{{password}}","x":{{new string('[', 200)}}{{new string(']', 200)}}}""").SetArgDisplayNames("arrays nested 200 deep");
        yield return new TestCaseData($$"""{"name":"Deep","email":"{{email}}","password":"{{password}}","x":{{string.Concat(Enumerable.Repeat("{\"a\":", 100))}}1{{new string('}', 100)}}}""").SetArgDisplayNames("objects nested 100 deep");
        yield return new TestCaseData($$"""{"name":1e999999,"email":"{{email}}","password":"{{password}}"}""").SetArgDisplayNames("a huge number for a string");
        yield return new TestCaseData($$"""{"name":"Twice","name":"Other","email":"{{email}}","password":"{{password}}"}""").SetArgDisplayNames("a duplicate property");
        yield return new TestCaseData($$"""{"name":"Twice","email":"{{email}}","password":"{{password}}","Name":"Other"}""").SetArgDisplayNames("a duplicate property in another case");
        yield return new TestCaseData($$"""{"name":{"first":"Ada"},"email":"{{email}}","password":"{{password}}"}""").SetArgDisplayNames("an object for a string");
        yield return new TestCaseData($$"""{"name":true,"email":"{{email}}","password":"{{password}}"}""").SetArgDisplayNames("a boolean for a string");
        yield return new TestCaseData("""[{"name":"Ada","email":"a@example.com"}]""").SetArgDisplayNames("an array for the body");
        yield return new TestCaseData("\"Ada\"").SetArgDisplayNames("a string for the body");
        yield return new TestCaseData("null").SetArgDisplayNames("null for the body");
        yield return new TestCaseData($$"""{"name":"Ada","email":"{{email}}","password":"{{password}}"} trailing""").SetArgDisplayNames("trailing garbage");
        yield return new TestCaseData($$"""{"name":"Ada","email":"{{email}}","password":"{{password}}",}""").SetArgDisplayNames("a trailing comma");
        yield return new TestCaseData($$"""{"name":"Ada" /* c */,"email":"{{email}}","password":"{{password}}"}""").SetArgDisplayNames("a comment");
        yield return new TestCaseData($$"""{"name":"\uZZZZ","email":"{{email}}","password":"{{password}}"}""").SetArgDisplayNames("a broken escape");
    }

    [TestCaseSource(nameof(HostileJsonShapes))]
    public async Task A_signup_body_of_a_hostile_shape_is_400(string body)
    {
        foreach (var client in new[] { _booking.Users, _kestrelUsers })
        {
            await AssertProblemAsync(await PostRawAsync(client, "/users", body, Json), HttpStatusCode.BadRequest);
        }
    }

    [TestCase("""{"amount":1e400}""", TestName = "A charge of 1e400 is 400")]
    [TestCase("""{"amount":-1e400}""", TestName = "A charge of -1e400 is 400")]
    [TestCase("""{"amount":79228162514264337593543950336}""", TestName = "A charge just past decimal's range is 400")]
    [TestCase("""{"amount":1000000000000000000000000000000000000000000000000000000000000000000000000000000000000}""", TestName = "A charge of 85 digits is 400")]
    [TestCase("""{"amount":0.0000000000000000000000000000000000001}""", TestName = "A charge too small for decimal is 400")]
    [TestCase("""{"amount":"10"}""", TestName = "A charge as a string is 400")]
    [TestCase("""{"amount":10,"amount":20}""", TestName = "A charge given twice is 400")]
    public async Task A_charge_of_a_hostile_number_is_400_and_charges_nothing(string body)
    {
        var balance = await _booking.BalanceAsync(_user);

        await AssertProblemAsync(await PostRawAsync(_booking.Payment, $"/wallets/{_user.Id}/charge", body, Json, _user), HttpStatusCode.BadRequest);

        Assert.That(await _booking.BalanceAsync(_user), Is.EqualTo(balance));
    }

    [TestCase("""{"userId":12345678901234567890123456789012345678901234567890}""", TestName = "A queue entry with a huge number for a user in its body queues the token's user")]
    [TestCase("""{"userId":"not-a-guid"}""", TestName = "A queue entry with a malformed user id in its body queues the token's user")]
    [TestCase("""{"userId":"0c0ce27a-0000-4000-8000-0000000000ff"}""", TestName = "A queue entry naming another user in its body queues the token's user")]
    public async Task A_queue_entry_takes_the_user_from_the_token_whatever_its_body_says(string body)
    {
        var response = await PostRawAsync(_booking.Token, $"/queue/{BookingDriver.TestConcertId}/tokens", body, Json, _user);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created).Or.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        Assert.That((await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("userId").GetGuid(), Is.EqualTo(_user.Id));
    }

    private static string PaddedSignup(int size) =>
        $$"""{"name":"Padded","email":"{{UserApiClient.UniqueEmail("padded")}}","password":"{{UserApiClient.Password}}","pad":"{{new string('x', size)}}"}""";

    private static Task<HttpResponseMessage> PostJsonAsync(HttpClient client, string path, string body) => PostRawAsync(client, path, body, Json);

    private static Task<HttpResponseMessage> SendJsonAsync(HttpClient client, HttpMethod method, string path, string body, TestUser? user = null)
    {
        var request = new HttpRequestMessage(method, path) { Content = new StringContent(body, Encoding.UTF8, Json) };
        request.Headers.Authorization = user?.Bearer;
        return client.SendAsync(request);
    }

    private static Task<HttpResponseMessage> PostRawAsync(HttpClient client, string path, string body, string contentType, TestUser? user = null)
    {
        var content = new ByteArrayContent(Encoding.UTF8.GetBytes(body));
        content.Headers.TryAddWithoutValidation("Content-Type", contentType);
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = content };
        request.Headers.Authorization = user?.Bearer;
        return client.SendAsync(request);
    }

    private static async Task AssertValidationProblemAsync(HttpResponseMessage response, string field)
    {
        var problem = await AssertProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.That(problem.RootElement.TryGetProperty("errors", out var errors) && errors.TryGetProperty(field, out _), Is.True,
            $"the problem names {field}: {problem.RootElement}");
    }

    private static async Task<JsonDocument> AssertProblemAsync(HttpResponseMessage response, HttpStatusCode status)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.That(response.StatusCode, Is.EqualTo(status), body);
        Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/problem+json"), body);
        var problem = JsonDocument.Parse(body);
        Assert.That(problem.RootElement.GetProperty("status").GetInt32(), Is.EqualTo((int)status), body);
        return problem;
    }

    private async Task<int> OutboxCountAsync() =>
        (await MessagingProbes.OutboxAsync<UserDbContext>(_system.Users.Services)).Count;

    /// <summary>A stream that does not know its length, so HttpClient has to send it chunked.</summary>
    private sealed class UnseekableStream(byte[] bytes) : MemoryStream(bytes)
    {
        public override bool CanSeek => false;
    }
}
