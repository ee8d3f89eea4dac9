using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using ConcertBooking.Messaging.Outbox;
using ConcertBooking.Tests.Infrastructure;
using ConcertBooking.UserService.Data;
using ConcertBooking.UserService.Users;

namespace ConcertBooking.Tests.Integration;

/// <summary>UserService's HTTP contract: what a client sends wrong gets a 4xx problem document and changes nothing.</summary>
[TestFixture]
[Category(TestCategories.Integration)]
public sealed class UserApiTests
{
    private ConcertBookingSystem _system = null!;
    private HttpClient _client = null!;

    [OneTimeSetUp]
    public async Task Start()
    {
        _system = await ConcertBookingSystem.StartAsync();
        _client = _system.Users.CreateClient();
    }

    [OneTimeTearDown]
    public async Task Stop()
    {
        _client.Dispose();
        await _system.DisposeAsync();
    }

    [Test]
    public async Task Signup_answers_201_with_location_and_the_user_at_version_1()
    {
        var response = await _client.PostAsJsonAsync("/users",
            new { name = "  Alan Turing  ", email = UserApiClient.UniqueEmail("alan"), password = UserApiClient.Password });

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created));
        var user = (await response.Content.ReadFromJsonAsync<UserResponse>())!;
        Assert.Multiple(() =>
        {
            Assert.That(response.Headers.Location?.ToString(), Is.EqualTo($"/users/{user.Id}"));
            Assert.That(user.Name, Is.EqualTo("Alan Turing"), "the name is trimmed");
            Assert.That(user.Version, Is.EqualTo(1));
            Assert.That(user.Id.Version, Is.EqualTo(7), "ids are GUID v7");
        });

        var signedIn = await _client.SignInAsync(user.Email);
        var me = new TestUser(user.Id, user.Email, UserApiClient.Password, signedIn.AccessToken);
        Assert.That(await _client.GetAsAsync<UserResponse>(me, $"/users/{user.Id}"), Is.EqualTo(user));
        Assert.That(await _client.GetAsAsync<UserResponse>(me, "/users/me"), Is.EqualTo(user));
    }

    [Test]
    public async Task Patch_answers_the_new_version_and_a_no_op_patch_keeps_it()
    {
        var user = await _client.SignUpAndInAsync("Barbara");
        var renamed = await _client.SendAsAsync(user, HttpMethod.Patch, $"/users/{user.Id}", new { name = "Barbara Liskov", email = UserApiClient.UniqueEmail("liskov") });
        Assert.That(renamed.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That((await renamed.Content.ReadFromJsonAsync<UserResponse>())!.Version, Is.EqualTo(2));

        var same = await _client.SendAsAsync(user, HttpMethod.Patch, "/users/me", new { name = "Barbara Liskov" });
        Assert.That((await same.Content.ReadFromJsonAsync<UserResponse>())!.Version, Is.EqualTo(2), "nothing changed, no new version");
    }

    public static IEnumerable<TestCaseData> InvalidSignups()
    {
        yield return new TestCaseData("""{"email":"a@example.com"}""", "Name").SetName("Signup without a name");
        yield return new TestCaseData("""{"name":"   ","email":"a@example.com"}""", "Name").SetName("Signup with a blank name");
        yield return new TestCaseData($$"""{"name":"{{new string('n', 101)}}","email":"a@example.com"}""", "Name").SetName("Signup with a 101-character name");
        yield return new TestCaseData("""{"name":"Ada"}""", "Email").SetName("Signup without an email");
        yield return new TestCaseData("""{"name":"Ada","email":""}""", "Email").SetName("Signup with an empty email");
        yield return new TestCaseData("""{"name":"Ada","email":"not-an-email"}""", "Email").SetName("Signup with a malformed email");
        yield return new TestCaseData("""{"name":"Ada","email":"ada@example"}""", "Email").SetName("Signup with an email without a domain dot");
        yield return new TestCaseData("""{"name":"Ada","email":"a b@example.com"}""", "Email").SetName("Signup with a space in the email");
        yield return new TestCaseData($$"""{"name":"Ada","email":"{{new string('e', 245)}}@example.com"}""", "Email").SetName("Signup with a 257-character email");
        yield return new TestCaseData("""{"name":"Ada","email":"a@example.com"}""", "Password").SetName("Signup without a password");
        yield return new TestCaseData("""{"name":"Ada","email":"a@example.com","password":"fourteen chars"}""", "Password").SetName("Signup with a 14-character password");
        yield return new TestCaseData("""{"name":"Ada","email":"a@example.com","password":"passwordpassword"}""", "Password").SetName("Signup with a common password");
        yield return new TestCaseData("""{"name":"Ada","email":"a@example.com","password":"aaaaaaaaaaaaaaaaaaaa"}""", "Password").SetName("Signup with one character repeated");
        yield return new TestCaseData("""{"name":"Ada","email":"ada.long@example.com","password":"my ada.long@example.com"}""", "Password").SetName("Signup with the email in the password");
    }

    [TestCaseSource(nameof(InvalidSignups))]
    public async Task Invalid_signups_are_400_validation_problems_naming_the_field_and_store_nothing(string body, string field)
    {
        var before = await OutboxCountAsync();

        var response = await PostRawAsync("/users", body, "application/json");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/problem+json"));
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.That(problem.RootElement.GetProperty("errors").TryGetProperty(field, out var messages), Is.True, problem.RootElement.ToString());
        Assert.That(messages.GetArrayLength(), Is.GreaterThan(0));
        Assert.That(await OutboxCountAsync(), Is.EqualTo(before), "no event written");
    }

    [TestCase("{\"name\":", TestName = "Truncated JSON is a 400 problem")]
    [TestCase("{\"name\": 42, \"email\": []}", TestName = "JSON of the wrong shape is a 400 problem")]
    [TestCase("", TestName = "An empty body is a 400 problem")]
    public async Task Unreadable_bodies_are_400_problems_never_500(string body)
    {
        var response = await PostRawAsync("/users", body, "application/json");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/problem+json"));
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.That(problem.RootElement.GetProperty("status").GetInt32(), Is.EqualTo(400));
    }

    [Test]
    public async Task A_body_that_is_not_json_is_415()
    {
        var response = await PostRawAsync("/users", "name=Ada&email=a@example.com", "application/x-www-form-urlencoded");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.UnsupportedMediaType));
        Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/problem+json"));
    }

    [Test]
    public async Task A_second_signup_with_the_same_email_in_other_case_is_409()
    {
        var email = UserApiClient.UniqueEmail("dup");
        await _client.SignUpAsync("First", email);

        var response = await _client.PostAsJsonAsync("/users", new { name = "Second", email = email.ToUpperInvariant(), password = UserApiClient.Password });

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Conflict));
        Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/problem+json"));
    }

    [Test]
    public async Task Concurrent_signups_with_one_email_create_exactly_one_user()
    {
        var email = UserApiClient.UniqueEmail("race");
        var before = await OutboxCountAsync();

        var responses = await Task.WhenAll(Enumerable.Range(0, 20)
            .Select(i => _client.PostAsJsonAsync("/users", new { name = $"Racer {i}", email, password = UserApiClient.Password })));

        var statuses = responses.Select(r => r.StatusCode).ToList();
        Assert.That(statuses.Count(s => s == HttpStatusCode.Created), Is.EqualTo(1), string.Join(",", statuses));
        Assert.That(statuses.Count(s => s == HttpStatusCode.Conflict), Is.EqualTo(19));
        Assert.That(await OutboxCountAsync(), Is.EqualTo(before + 1), "one UserCreated");
    }

    [Test]
    public async Task Changing_to_an_email_another_user_has_is_409()
    {
        var taken = UserApiClient.UniqueEmail("taken");
        await _client.SignUpAsync("Owner", taken);
        var other = await _client.SignUpAndInAsync("Other");

        var response = await _client.SendAsAsync(other, HttpMethod.Patch, $"/users/{other.Id}", new { email = taken });

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Conflict));
    }

    [Test]
    public async Task An_empty_patch_is_400()
    {
        var user = await _client.SignUpAndInAsync("Patchy");

        var response = await _client.SendAsAsync(user, HttpMethod.Patch, $"/users/{user.Id}", new { });

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
    }

    [TestCase("GET")]
    [TestCase("PATCH")]
    [TestCase("DELETE")]
    public async Task A_user_that_is_gone_is_404_problem_for_its_still_valid_token(string method)
    {
        var gone = Guid.CreateVersion7();
        var token = new TestUser(gone, "", "", TestTokens.Issue(gone));

        var response = await _client.SendAsAsync(token, new HttpMethod(method), $"/users/{gone}", method == "PATCH" ? new { name = "Nobody" } : null);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/problem+json"));
    }

    [Test]
    public async Task A_malformed_id_is_404_not_500()
    {
        var user = await _client.SignUpAndInAsync("Malformed");

        Assert.That((await _client.SendAsAsync(user, HttpMethod.Get, "/users/not-a-guid")).StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        Assert.That((await _client.GetAsync("/users/not-a-guid")).StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
    }

    [Test]
    public async Task The_openapi_document_and_its_reference_page_are_served()
    {
        var document = await _client.GetStringAsync("/openapi/v1.json");
        Assert.That(document, Does.Contain("\"/users\""));

        var page = await _client.GetAsync("/scalar/v1");
        Assert.That(page.StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }

    private Task<HttpResponseMessage> PostRawAsync(string path, string body, string contentType) =>
        _client.PostAsync(path, new StringContent(body, Encoding.UTF8, contentType));

    private async Task<int> OutboxCountAsync() =>
        (await MessagingProbes.OutboxAsync<UserDbContext>(_system.Users.Services)).Count;
}
