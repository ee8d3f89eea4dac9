using System.Net;
using System.Net.Http.Json;
using ConcertBooking.Tests.Infrastructure;

namespace ConcertBooking.Tests.Faults;

/// <summary>The point of the design, with real processes on each transport: UserService killed, booking goes on for replicated users.</summary>
[TestFixture(TestTransport.RabbitMq)]
[TestFixture(TestTransport.Kafka)]
[Category(TestCategories.Faults)]
[NonParallelizable]
public sealed class UserServiceDownTests(TestTransport transport)
{
    private static readonly Guid DemoConcert = Guid.Parse("0c0ce27a-0000-4000-8000-000000000001");

    [Test]
    public async Task With_UserService_killed_queue_entry_reservation_and_payment_all_succeed_with_the_token_issued_before()
    {
        await using var system = await ProcessSystem.StartAsync(
            service => service == "token" ? [new("Queue__AdmissionInterval", "00:00:00.200"), new("Queue__AdmitPerInterval", "100")] : [],
            options: new ProcessSystemOptions { Transport = transport });
        using var users = system["users"].CreateClient();
        var user = await users.SignUpAndInAsync("Fan of replicas");
        foreach (var replica in ProcessSystem.ReplicaNames)
        {
            await Eventually.Until(() => system.CountAsync(replica, $"""SELECT count(*) FROM {replica}."Users" WHERE "Id" = '{user.Id}'"""),
                n => n == 1, $"the user in the {replica} replica");
        }

        await Eventually.Until(() => system.CountAsync("token", $"""SELECT count(*) FROM token."Concerts" WHERE "Id" = '{DemoConcert}'"""),
            n => n == 1, "the demo concert in TokenService's replica");

        system["users"].Kill();
        TestContext.Out.WriteLine($"Injected: UserService killed with SIGKILL after user {user.Id} was replicated and signed in");

        using var token = system["token"].CreateClient();
        using var concert = system["concert"].CreateClient();
        using var payment = system["payment"].CreateClient();
        foreach (var client in new[] { token, concert, payment })
        {
            // The token UserService issued before it died: each service checks it locally, with the issuer's public key.
            client.DefaultRequestHeaders.Authorization = user.Bearer;
        }

        var entered = await token.PostAsync($"/queue/{DemoConcert}/tokens", null);
        Assert.That(entered.StatusCode, Is.EqualTo(HttpStatusCode.Created), "queue entry");
        var tokenId = (await entered.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>()).GetProperty("tokenId").GetGuid();
        var admitted = await Eventually.Until(() => token.GetFromJsonAsync<System.Text.Json.JsonElement>($"/queue/tokens/{tokenId}"),
            t => t.GetProperty("status").GetString() == "Admitted", "admission");
        var pass = admitted.GetProperty("entryPass").GetString()!;

        var seats = await concert.GetFromJsonAsync<List<System.Text.Json.JsonElement>>($"/concerts/{DemoConcert}/seats");
        var seatId = seats!.First(s => s.GetProperty("status").GetString() == "Available").GetProperty("id").GetGuid();
        using var reserve = new HttpRequestMessage(HttpMethod.Post, "/reservations") { Content = JsonContent.Create(new { seatId }) };
        reserve.Headers.Add("X-Entry-Pass", pass);
        var reserved = await concert.SendAsync(reserve);
        Assert.That(reserved.StatusCode, Is.EqualTo(HttpStatusCode.Created), "reservation: " + await reserved.Content.ReadAsStringAsync());
        var reservationId = (await reserved.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>()).GetProperty("id").GetGuid();

        var charged = await payment.PostAsJsonAsync($"/wallets/{user.Id}/charge", new { amount = 100.00m });
        Assert.That(charged.StatusCode, Is.EqualTo(HttpStatusCode.OK), "wallet charge");
        await Eventually.Until(async () => (await payment.GetAsync($"/payable-reservations/{reservationId}")).StatusCode,
            s => s == HttpStatusCode.OK, "ReservationCreated in PaymentService");
        using var pay = new HttpRequestMessage(HttpMethod.Post, "/payments") { Content = JsonContent.Create(new { reservationId }) };
        pay.Headers.Add("Idempotency-Key", Guid.NewGuid().ToString());
        var paid = await payment.SendAsync(pay);
        Assert.That(paid.StatusCode, Is.EqualTo(HttpStatusCode.Created), "payment: " + await paid.Content.ReadAsStringAsync());

        await Eventually.Until(() => concert.GetFromJsonAsync<System.Text.Json.JsonElement>($"/reservations/{reservationId}"),
            r => r.GetProperty("status").GetString() == "Confirmed", "the reservation confirmed by PaymentCompleted");
        TestContext.Out.WriteLine("Verified: queue entry 201, admission, reservation 201, charge 200, payment 201 and confirmation, all with UserService dead, "
            + "each service checking the access token locally");
    }
}
