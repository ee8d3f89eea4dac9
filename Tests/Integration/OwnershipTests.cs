using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using ConcertBooking.ServiceDefaults.Authentication;
using ConcertBooking.Tests.Infrastructure;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace ConcertBooking.Tests.Integration;

/// <summary>
/// Who may do what, route by route: every user-scoped route of the four services refuses a request without a token
/// (401) and a token of another user (403 where the path names the user, 404 where existence should not leak), and
/// answers its own user. The table is checked against the services' endpoints, so a new route must join it or say
/// it is anonymous or for operators.
/// </summary>
[TestFixture]
[Category(TestCategories.Integration)]
public sealed partial class OwnershipTests : BookingSystemFixture
{
    private TestUser _owner = null!;
    private TestUser _other = null!;
    private Dictionary<string, string> _ids = null!;

    /// <summary>
    /// A user-scoped route: its path with the owner's ids filled in, the refusal another user's token gets (null where the
    /// route names nobody, as /users/me: there the other user acts on their own account), and what the owner gets (null for
    /// a request whose repetition would change the owner's state).
    /// </summary>
    public sealed record Route(string Service, string Method, string Template, HttpStatusCode? OtherUser, HttpStatusCode? Owner, object? Body = null)
    {
        public override string ToString() => $"{Service} {Method} {Template}";
    }

    private static readonly Route[] Routes =
    [
        new("users", "GET", "/users/{id}", HttpStatusCode.Forbidden, HttpStatusCode.OK),
        new("users", "PATCH", "/users/{id}", HttpStatusCode.Forbidden, HttpStatusCode.OK, new { name = "Still The Owner" }),
        new("users", "DELETE", "/users/{id}", HttpStatusCode.Forbidden, null),
        new("users", "GET", "/users/me", null, HttpStatusCode.OK),
        new("users", "PATCH", "/users/me", null, HttpStatusCode.OK, new { name = "Still Me" }),
        new("users", "DELETE", "/users/me", null, null),
        // With the owner's entry pass in its header: another user's token cannot use it.
        new("concert", "POST", "/reservations", HttpStatusCode.Forbidden, null, new { seatId = "{seatId}" }),
        new("concert", "GET", "/reservations/{reservationId}", HttpStatusCode.NotFound, HttpStatusCode.OK),
        new("concert", "GET", "/reservations/{reservationId}/last-payment-failure", HttpStatusCode.NotFound, HttpStatusCode.OK),
        new("concert", "GET", "/users/{id}", HttpStatusCode.Forbidden, HttpStatusCode.OK),
        new("payment", "POST", "/wallets/{id}/charge", HttpStatusCode.Forbidden, HttpStatusCode.OK, new { amount = 1.00m }),
        new("payment", "GET", "/wallets/{id}", HttpStatusCode.Forbidden, HttpStatusCode.OK),
        // The owner's reservation, paid by another user: as if it did not exist.
        new("payment", "POST", "/payments", HttpStatusCode.NotFound, null, new { reservationId = "{reservationId}" }),
        new("payment", "GET", "/payments/{paymentId}", HttpStatusCode.NotFound, HttpStatusCode.OK),
        new("payment", "GET", "/payable-reservations/{reservationId}", HttpStatusCode.NotFound, HttpStatusCode.OK),
        new("payment", "GET", "/users/{id}", HttpStatusCode.Forbidden, HttpStatusCode.OK),
        new("token", "POST", "/queue/{concertId}/tokens", null, HttpStatusCode.OK),
        new("token", "GET", "/queue/tokens/{tokenId}", HttpStatusCode.NotFound, HttpStatusCode.OK),
        new("token", "GET", "/users/{id}", HttpStatusCode.Forbidden, HttpStatusCode.OK),
    ];

    public static IEnumerable<TestCaseData> RouteCases() => Routes.Select(r => new TestCaseData(r).SetArgDisplayNames(r.ToString()));

    protected override async Task StartedAsync()
    {
        _owner = await Booking.SignUpReplicatedAsync("Owner");
        _other = await Booking.SignUpReplicatedAsync("Other");

        // The owner holds a seat, has a payment refused for want of money, then tops up and pays: a reservation with a
        // refused and a completed payment, a queue token and its pass.
        var queueToken = await Booking.EnterQueueAsync(BookingDriver.TestConcertId, _owner);
        var pass = (await Booking.WaitUntilAdmittedAsync(_owner, queueToken.TokenId)).EntryPass!;
        var reservation = await Booking.ReserveAsync(_owner, (await Booking.SeatAsync("T1")).Id, pass);
        await Booking.WaitPayableAsync(_owner, reservation.Id, "Pending");
        Assert.That((await Booking.PayRawAsync(reservation.Id, _owner, Guid.NewGuid().ToString())).StatusCode, Is.EqualTo(HttpStatusCode.PaymentRequired));
        await Eventually.Until(async () => (await Booking.Concert.SendAsAsync(_owner, HttpMethod.Get, $"/reservations/{reservation.Id}/last-payment-failure")).StatusCode,
            status => status == HttpStatusCode.OK, "ConcertService to record the refused payment");
        await Booking.ChargeAsync(_owner, 100.00m);
        var paid = await Booking.PayRawAsync(reservation.Id, _owner, Guid.NewGuid().ToString());
        Assert.That(paid.StatusCode, Is.EqualTo(HttpStatusCode.Created), await paid.Content.ReadAsStringAsync());
        var payment = (await paid.Content.ReadFromJsonAsync<PaymentService.Payments.PaymentResponse>())!;

        _ids = new Dictionary<string, string>
        {
            ["id"] = _owner.Id.ToString(),
            ["reservationId"] = reservation.Id.ToString(),
            ["paymentId"] = payment.Id.ToString(),
            ["tokenId"] = queueToken.TokenId.ToString(),
            ["concertId"] = BookingDriver.TestConcertId.ToString(),
            ["seatId"] = (await Booking.SeatAsync("T3")).Id.ToString(),
            ["pass"] = pass,
        };
    }

    [TestCaseSource(nameof(RouteCases))]
    public async Task A_user_scoped_route_refuses_a_request_without_a_token_and_a_token_of_another_user(Route route)
    {
        var anonymous = await SendAsync(route, user: null);
        Assert.That(anonymous.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized), $"without a token: {await anonymous.Content.ReadAsStringAsync()}");
        Assert.That(anonymous.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/problem+json"));

        // Another user's token on a route that names the owner (in the path, or by an id of the owner's): refused. On a
        // route that names nobody (/users/me, the queue), the other user acts on their own account, never the owner's.
        if (route.OtherUser is { } refusal)
        {
            var other = await SendAsync(route, _other);
            var said = await other.Content.ReadAsStringAsync();
            Assert.That(other.StatusCode, Is.EqualTo(refusal), $"another user's token: {said}");
            Assert.That(said, Does.Not.Contain(_owner.Email), "nothing of the owner in the answer to another user");
        }

        if (route.Owner is { } owner)
        {
            var own = await SendAsync(route, _owner);
            Assert.That(own.StatusCode, Is.EqualTo(owner), $"the owner's own token: {await own.Content.ReadAsStringAsync()}");
        }

        TestContext.Out.WriteLine($"Verified: {route}: no token 401{(route.OtherUser is { } r ? $", another user's {(int)r}" : "")}"
            + $"{(route.Owner is { } o ? $", the owner's {(int)o}" : "")}");
    }

    [Test]
    public void Every_endpoint_says_who_may_call_it_and_every_user_route_is_in_the_table()
    {
        var services = new (string Name, IServiceProvider Services)[]
        {
            ("users", BookingSystem.Users.Services), ("concert", BookingSystem.Concert.Services), ("payment", BookingSystem.Payment.Services), ("token", BookingSystem.Token.Services),
        };
        var unguarded = new List<string>();
        var userRoutes = new List<string>();
        foreach (var (name, provider) in services)
        {
            foreach (var endpoint in provider.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>())
            {
                var methods = endpoint.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? ["*"];
                var path = Normalize(endpoint.RoutePattern.RawText ?? "");
                var anonymous = endpoint.Metadata.GetMetadata<IAllowAnonymous>() is not null;
                var policies = endpoint.Metadata.GetOrderedMetadata<IAuthorizeData>();
                foreach (var method in methods)
                {
                    var described = $"{name} {method} {path}";
                    if (!anonymous && policies.Count == 0)
                    {
                        unguarded.Add(described);
                    }
                    else if (!anonymous && !policies.All(p => p.Policy == AuthorizationPolicies.Operator))
                    {
                        userRoutes.Add(described);
                    }
                }
            }
        }

        Assert.That(unguarded, Is.Empty, "endpoints that say neither AllowAnonymous nor RequireAuthorization");
        Assert.That(userRoutes, Is.EquivalentTo(Routes.Select(r => r.ToString())), "the user-scoped routes are those of the table");
        TestContext.Out.WriteLine($"Verified: {userRoutes.Count} user-scoped routes, all in the table; no endpoint unguarded");
    }

    private Task<HttpResponseMessage> SendAsync(Route route, TestUser? user)
    {
        var client = route.Service switch
        {
            "users" => Booking.Users,
            "concert" => Booking.Concert,
            "payment" => Booking.Payment,
            _ => Booking.Token,
        };
        var request = new HttpRequestMessage(new HttpMethod(route.Method), Placeholder().Replace(route.Template, m => _ids[m.Groups[1].Value]))
        {
            Content = route.Body is null ? null : JsonContent.Create(Fill(route.Body)),
        };
        request.Headers.Authorization = user?.Bearer;
        // What each route needs besides the token, so that only the token decides: the owner's pass, a fresh payment key.
        request.Headers.Add(ConcertService.Reservations.ReservationsApi.EntryPassHeader, _ids["pass"]);
        request.Headers.Add(PaymentService.Payments.PaymentsApi.IdempotencyKeyHeader, Guid.NewGuid().ToString());
        return client.SendAsync(request);
    }

    /// <summary>The body with "{name}" strings replaced by the owner's ids.</summary>
    private Dictionary<string, object> Fill(object body) =>
        body.GetType().GetProperties().ToDictionary(
            p => char.ToLowerInvariant(p.Name[0]) + p.Name[1..],
            p => p.GetValue(body) is string text && Placeholder().Match(text) is { Success: true } m ? _ids[m.Groups[1].Value] : p.GetValue(body)!);

    private static string Normalize(string pattern)
    {
        var path = Regex.Replace(pattern, @"\{(\w+)(:[^}]*)?\}", "{$1}").TrimEnd('/');
        // The table names the ids by what they are; the endpoints by their parameter.
        return path switch
        {
            "/reservations/{id}" => "/reservations/{reservationId}",
            "/reservations/{id}/last-payment-failure" => "/reservations/{reservationId}/last-payment-failure",
            "/payments/{id}" => "/payments/{paymentId}",
            "/payable-reservations/{id}" => "/payable-reservations/{reservationId}",
            "/wallets/{userId}/charge" => "/wallets/{id}/charge",
            "/wallets/{userId}" => "/wallets/{id}",
            _ => path.Length == 0 ? "/" : path,
        };
    }

    [GeneratedRegex(@"\{(\w+)\}")]
    private static partial Regex Placeholder();
}
