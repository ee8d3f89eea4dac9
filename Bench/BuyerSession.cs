using System.Net.Http.Json;

namespace ConcertBooking.Bench;

/// <summary>The four services' HTTP clients that every buyer of a flash sale shares.</summary>
internal sealed record BookingClients(HttpClient Users, HttpClient Concerts, HttpClient Payments, HttpClient Tokens) : IDisposable
{
    public static BookingClients For(BenchSystem system)
    {
        // One handler: 10,000 buyers must share a bounded number of connections, as browsers behind a proxy would.
        var handler = new SocketsHttpHandler { MaxConnectionsPerServer = 256, PooledConnectionIdleTimeout = TimeSpan.FromMinutes(5) };
        HttpClient Client(string service) => new(handler, disposeHandler: false)
        {
            BaseAddress = system.Services[service].BaseAddress,
            Timeout = FlashSale.RequestTimeout,
        };

        return new BookingClients(Client("users"), Client("concert"), Client("payment"), Client("token"));
    }

    public void Dispose()
    {
        Users.Dispose();
        Concerts.Dispose();
        Payments.Dispose();
        Tokens.Dispose();
    }
}

/// <summary>An answer to a buyer: its status code (0 when the request timed out or was refused) and its body when 2xx.</summary>
internal sealed record Answer<T>(int Status, T? Body)
{
    public bool TimedOut => Status == 0;

    public bool ServerError => Status >= 500;
}

internal sealed record QueueTokenAnswer(Guid TokenId, string Status, int? Position, string? EntryPass);

internal sealed record ReservationAnswer(Guid Id, string Status);

internal sealed record PaymentAnswer(Guid Id, string Status);

/// <summary>
/// Every HTTP call a buyer makes, and only here: the user id travels in bodies and paths today. When sign-in lands
/// (branch identity: a password at signup, <c>POST /auth/token</c>, a bearer token instead of the user id on
/// user-scoped routes), this class is the one to change.
/// </summary>
internal sealed class BuyerSession
{
    private readonly BookingClients _clients;

    private BuyerSession(BookingClients clients, Guid userId)
    {
        _clients = clients;
        UserId = userId;
    }

    public Guid UserId { get; }

    /// <summary>Signs a buyer up at UserService; null when it was not answered 201.</summary>
    public static async Task<BuyerSession?> SignUpAsync(BookingClients clients, string name, string email, CancellationToken cancellationToken)
    {
        var created = await SendAsync<IdAnswer>(clients.Users, HttpMethod.Post, "/users", new { name, email }, null, cancellationToken);
        return created is { Status: 201, Body: { } user } ? new BuyerSession(clients, user.Id) : null;
    }

    public Task<Answer<object>> TopUpAsync(decimal amount, CancellationToken cancellationToken) =>
        SendAsync<object>(_clients.Payments, HttpMethod.Post, $"/wallets/{UserId}/charge", new { amount }, null, cancellationToken);

    public Task<Answer<QueueTokenAnswer>> EnterQueueAsync(Guid concertId, CancellationToken cancellationToken) =>
        SendAsync<QueueTokenAnswer>(_clients.Tokens, HttpMethod.Post, $"/queue/{concertId}/tokens", new { userId = UserId }, null, cancellationToken);

    public Task<Answer<QueueTokenAnswer>> TokenAsync(Guid tokenId, CancellationToken cancellationToken) =>
        SendAsync<QueueTokenAnswer>(_clients.Tokens, HttpMethod.Get, $"/queue/tokens/{tokenId}", null, null, cancellationToken);

    public Task<Answer<ReservationAnswer>> HoldAsync(Guid seatId, string entryPass, CancellationToken cancellationToken) =>
        SendAsync<ReservationAnswer>(_clients.Concerts, HttpMethod.Post, "/reservations", new { userId = UserId, seatId },
            ("X-Entry-Pass", entryPass), cancellationToken);

    public Task<Answer<PaymentAnswer>> PayAsync(Guid reservationId, string idempotencyKey, CancellationToken cancellationToken) =>
        SendAsync<PaymentAnswer>(_clients.Payments, HttpMethod.Post, "/payments", new { reservationId, userId = UserId },
            ("Idempotency-Key", idempotencyKey), cancellationToken);

    public Task<Answer<ReservationAnswer>> ReservationAsync(Guid reservationId, CancellationToken cancellationToken) =>
        SendAsync<ReservationAnswer>(_clients.Concerts, HttpMethod.Get, $"/reservations/{reservationId}", null, null, cancellationToken);

    private static async Task<Answer<T>> SendAsync<T>(
        HttpClient client, HttpMethod method, string path, object? body, (string Name, string Value)? header, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, path) { Content = body is null ? null : JsonContent.Create(body) };
        if (header is var (name, value))
        {
            request.Headers.Add(name, value);
        }

        try
        {
            using var response = await client.SendAsync(request, cancellationToken);
            var status = (int)response.StatusCode;
            var content = status is >= 200 and < 300 && typeof(T) != typeof(object)
                ? await response.Content.ReadFromJsonAsync<T>(cancellationToken)
                : default;
            return new Answer<T>(status, content);
        }
        catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            return new Answer<T>(0, default); // timed out or refused: the buyer got no answer, which the report counts
        }
    }

    private sealed record IdAnswer(Guid Id);
}
