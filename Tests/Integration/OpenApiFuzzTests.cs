using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using ConcertBooking.Tests.Infrastructure;
using CsCheck;

namespace ConcertBooking.Tests.Integration;

/// <summary>
/// Reads each service's OpenAPI document and sends a few thousand generated and mutated requests (bodies, path
/// parameters, query strings, headers; with and without a valid token when the services issue them) to every
/// operation of the four services, in-process on the real broker and database: no answer may be 5xx. Every failure
/// is collected and reported with its method, path, headers and body. The run is reproducible: <c>FUZZ_SEED</c>
/// picks another seed, <c>FUZZ_REQUESTS</c> another count.
/// </summary>
[TestFixture]
[Category(TestCategories.Integration)]
public sealed class OpenApiFuzzTests
{
    private const ulong DefaultSeed = 20261130;
    private const int DefaultRequests = 3_000;
    private const string OpsKey = "fuzz-test-ops-key-4a8e1c0b7d2f-9c3e5a17";

    [Test]
    public async Task No_operation_of_any_service_answers_5xx_to_generated_and_mutated_requests()
    {
        var seed = ulong.TryParse(Environment.GetEnvironmentVariable("FUZZ_SEED"), CultureInfo.InvariantCulture, out var s) ? s : DefaultSeed;
        var count = int.TryParse(Environment.GetEnvironmentVariable("FUZZ_REQUESTS"), CultureInfo.InvariantCulture, out var n) ? n : DefaultRequests;
        var options = BookingDriver.Options();
        // On Kestrel, not the in-memory test server: requests go through the real HTTP parser (which refuses a NUL in
        // a path, for one, where the test server throws in the test instead).
        await using var system = await ConcertBookingSystem.StartAsync(new SystemOptions
        {
            Settings = service => [.. options.Settings(service), new("Ops:ApiKey", OpsKey)],
            RealHttp = _ => true,
        });
        var clients = new Dictionary<string, HttpClient>
        {
            ["users"] = KestrelClient(system.Users.RealAddress),
            ["concert"] = KestrelClient(system.Concert.RealAddress),
            ["payment"] = KestrelClient(system.Payment.RealAddress),
            ["token"] = KestrelClient(system.Token.RealAddress),
        };
        try
        {
            await FuzzAsync(system, clients, seed, count);
        }
        finally
        {
            foreach (var client in clients.Values)
            {
                client.Dispose();
            }
        }
    }

    private static async Task FuzzAsync(ConcertBookingSystem system, Dictionary<string, HttpClient> clients, ulong seed, int count)
    {
        var documents = new Dictionary<string, JsonNode>();
        foreach (var (service, client) in clients)
        {
            documents[service] = JsonNode.Parse(await client.GetStringAsync("/openapi/v1.json"))!;
        }

        using var booking = new BookingDriver(system);
        var user = await booking.SignUpReplicatedAsync("Fuzz");
        var token = user.Token;
        await system.ConcertReplicatedAsync(BookingDriver.TestConcertId);
        // Real ids and a real entry pass, so that requests get past "unknown" and "no pass" into the actions.
        var seats = await booking.SeatsAsync();
        var reservation = await booking.ReserveAsync(user, seats[0].Id, await booking.EntryPassAsync(user));
        var entryPass = await booking.EntryPassAsync(user);
        var operations = documents.SelectMany(d => OpenApiOperation.ReadAll(d.Key, d.Value)).ToList();
        Assert.That(operations.Select(o => o.Service).Distinct().Count(), Is.EqualTo(4), "every service documents operations");

        var generators = new FuzzGenerators(
            documents.ToDictionary(d => d.Key, d => d.Value["components"]?["schemas"] as JsonObject),
            [user.Id, BookingDriver.TestConcertId, seats[1].Id, seats[^1].Id, reservation.Id], token, entryPass, OpsKey);
        var requests = Gen.OneOf([.. operations.Select(generators.Request)]);
        var pcg = new PCG(1, seed);
        var failures = new List<string>();
        var statuses = new SortedDictionary<int, int>();
        var stopwatch = Stopwatch.StartNew();
        var previous = new Dictionary<string, string>();
        for (var i = 0; i < count; i++)
        {
            var request = requests.Generate(pcg, null, out _);
            var service = request.Operation.Service;
            var (status, answer) = await SendAsync(clients[service], request);
            if (status is null && answer.Contains("(ResponseEnded)", StringComparison.Ordinal))
            {
                // The connection the previous request left behind may have been closed under this one: once more, on
                // a new connection, to tell a request that breaks the service from one that met a closing connection.
                await TestContext.Out.WriteLineAsync($"#{i}: connection closed under it after {previous.GetValueOrDefault(service)}; sent again");
                (status, answer) = await SendAsync(clients[service], request);
            }

            previous[service] = $"#{i} ({status?.ToString(CultureInfo.InvariantCulture) ?? "no answer"}) {FuzzRequest.Shorten(request.Describe(), 300)}";
            statuses[status ?? 0] = statuses.GetValueOrDefault(status ?? 0) + 1;
            if (status is null or >= 500)
            {
                failures.Add($"#{i} {status?.ToString(CultureInfo.InvariantCulture) ?? "no answer"}: {request.Describe()}\n    -> {answer}");
            }
        }

        await TestContext.Out.WriteLineAsync(
            $"{count} requests to {operations.Count} operations in {stopwatch.Elapsed.TotalSeconds:F0} s (seed {seed}, token: {token is not null}); " +
            $"statuses: {string.Join(", ", statuses.Select(kv => $"{kv.Key}×{kv.Value}"))}");
        Assert.That(failures, Is.Empty,
            $"{failures.Count} of {count} requests (seed {seed}) answered 5xx or failed:\n{string.Join("\n", failures.Take(60))}");
    }

    /// <returns>The status and a shortened body, or no status and the exception when no answer came.</returns>
    private static async Task<(int? Status, string Answer)> SendAsync(HttpClient client, FuzzRequest request)
    {
        using var message = request.ToMessage();
        try
        {
            using var response = await client.SendAsync(message);
            return ((int)response.StatusCode, FuzzRequest.Shorten(await response.Content.ReadAsStringAsync(), 600));
        }
        catch (HttpRequestException exception)
        {
            return (null, FuzzRequest.Shorten(exception.ToString(), 1200));
        }
    }

    /// <summary>Sends header values as UTF-8, as a hostile client may, rather than refusing to send them.</summary>
    private static HttpClient KestrelClient(Uri address) =>
        new(new SocketsHttpHandler { RequestHeaderEncodingSelector = (_, _) => System.Text.Encoding.UTF8 }) { BaseAddress = address };
}
