using System.Net;
using System.Net.Http.Json;
using ConcertBooking.ConcertService.Reservations;
using ConcertBooking.Tests.Infrastructure;

namespace ConcertBooking.Tests.Integration;

/// <summary>
/// The baseline the design replaces, <c>UserLookup:Mode=Http</c>: a reservation asks UserService synchronously.
/// It works while UserService answers and fails with 503 when it is gone; the default replica mode does not care.
/// </summary>
[TestFixture]
[Category(TestCategories.Integration)]
public sealed class UserLookupModeTests
{
    [Test]
    public async Task In_Http_mode_a_reservation_depends_on_UserService_and_in_Replica_mode_it_does_not()
    {
        var options = BookingDriver.Options();
        await using var system = await ConcertBookingSystem.StartAsync(new SystemOptions
        {
            Settings = options.Settings,
            RealHttp = service => service == "users",
        });
        using var booking = new BookingDriver(system);
        await using var httpConcert = system.Concert.AnotherInstance(
        [
            new("UserLookup:Mode", "Http"),
            new("UserLookup:UserServiceUrl", system.Users.RealAddress.ToString()),
            new("UserLookup:Timeout", "00:00:00.500"),
            new("UserLookup:Retries", "1"),
        ]);
        using var httpClient = httpConcert.CreateClient();
        var user = await booking.SignUpReplicatedAsync("Looked up");
        var second = await booking.SignUpReplicatedAsync("Looked up too");
        var pass = await booking.EntryPassAsync(user);
        var secondPass = await booking.EntryPassAsync(second);
        var seats = await booking.SeatsAsync();

        var whileUp = await ReserveAsync(httpClient, user, seats[0].Id, pass);
        Assert.That(whileUp.StatusCode, Is.EqualTo(HttpStatusCode.Created), "Http mode, UserService up (asked with the user's own token)");
        var stranger = TestTokens.Issue(Guid.CreateVersion7());
        var unknown = await ReserveAsync(httpClient, user.WithToken(stranger), seats[1].Id, pass);
        Assert.That(unknown.StatusCode, Is.EqualTo(HttpStatusCode.UnprocessableEntity), "Http mode, UserService says 404");

        await system.Users.DisposeAsync();
        TestContext.Out.WriteLine("Injected: UserService stopped");

        var whileDown = await ReserveAsync(httpClient, second, seats[2].Id, secondPass);
        Assert.That(whileDown.StatusCode, Is.EqualTo(HttpStatusCode.ServiceUnavailable), await whileDown.Content.ReadAsStringAsync());
        var replicaMode = await ReserveAsync(booking.Concert, second, seats[3].Id, secondPass);
        Assert.That(replicaMode.StatusCode, Is.EqualTo(HttpStatusCode.Created), "Replica mode, UserService down");
        TestContext.Out.WriteLine("Verified: Http mode answered 503 with UserService down; Replica mode reserved the seat");
    }

    private static Task<HttpResponseMessage> ReserveAsync(HttpClient client, TestUser user, Guid seatId, string pass)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/reservations") { Content = JsonContent.Create(new { seatId }) };
        request.Headers.Authorization = user.Bearer;
        request.Headers.Add(ReservationsApi.EntryPassHeader, pass);
        return client.SendAsync(request);
    }
}
