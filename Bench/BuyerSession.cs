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

/// <summary>
/// An answer to a buyer: its status code (0 when the request timed out or was refused), its body when 2xx, and the
/// problem details of a 409 when the call asked for them.
/// </summary>
internal sealed record Answer<T>(int Status, T? Body, ConflictAnswer? Conflict = null)
{
    public bool TimedOut => Status == 0;

    public bool ServerError => Status >= 500;
}

internal sealed record QueueTokenAnswer(Guid TokenId, string Status, int? Position, string? EntryPass);

internal sealed record ReservationAnswer(Guid Id, string Status);

internal sealed record PaymentAnswer(Guid Id, string Status);

/// <summary>A refused hold's problem details: the seats ConcertService says were free a moment ago (none: sold out).</summary>
internal sealed record ConflictAnswer(List<AvailableSeatAnswer>? AvailableSeats);

internal sealed record AvailableSeatAnswer(Guid Id, string Label);

/// <summary>
/// Every HTTP call a buyer makes, and only here: signed up with a password, signed in, and from then on named by the
/// access token on every user-scoped route, as a real client is.
/// </summary>
internal sealed class BuyerSession
{
    /// <summary>Every buyer's password: long enough for the policy, cheap to hash at the bench's lowered cost.</summary>
    private const string Password = "flash sale buyers sign up with this passphrase 7315";

    private readonly BookingClients _clients;
    private readonly string _accessToken;

    private BuyerSession(BookingClients clients, Guid userId, string accessToken)
    {
        _clients = clients;
        UserId = userId;
        _accessToken = accessToken;
    }

    public Guid UserId { get; }

    /// <summary>Signs a buyer up and in at UserService; null when either was not answered with success.</summary>
    public static async Task<BuyerSession?> SignUpAsync(BookingClients clients, string name, string email, CancellationToken cancellationToken)
    {
        var created = await SendAsync<IdAnswer>(clients.Users, HttpMethod.Post, "/users", new { name, email, password = Password }, null, null, cancellationToken);
        if (created is not { Status: 201, Body: { } user })
        {
            return null;
        }

        var signedIn = await SendAsync<TokenAnswer>(clients.Users, HttpMethod.Post, "/auth/token", new { email, password = Password }, null, null, cancellationToken);
        return signedIn is { Status: 200, Body: { } token } ? new BuyerSession(clients, user.Id, token.AccessToken) : null;
    }

    public Task<Answer<object>> TopUpAsync(decimal amount, CancellationToken cancellationToken) =>
        SendAsync<object>(_clients.Payments, HttpMethod.Post, $"/wallets/{UserId}/charge", new { amount }, null, _accessToken, cancellationToken);

    public Task<Answer<QueueTokenAnswer>> EnterQueueAsync(Guid concertId, CancellationToken cancellationToken) =>
        SendAsync<QueueTokenAnswer>(_clients.Tokens, HttpMethod.Post, $"/queue/{concertId}/tokens", null, null, _accessToken, cancellationToken);

    public Task<Answer<QueueTokenAnswer>> TokenAsync(Guid tokenId, CancellationToken cancellationToken) =>
        SendAsync<QueueTokenAnswer>(_clients.Tokens, HttpMethod.Get, $"/queue/tokens/{tokenId}", null, null, _accessToken, cancellationToken);

    public Task<Answer<ReservationAnswer>> HoldAsync(Guid seatId, string entryPass, CancellationToken cancellationToken) =>
        SendAsync<ReservationAnswer>(_clients.Concerts, HttpMethod.Post, "/reservations", new { seatId },
            ("X-Entry-Pass", entryPass), _accessToken, cancellationToken, readConflict: true);

    public Task<Answer<ReservationAnswer>> HoldAnyAsync(Guid concertId, string entryPass, CancellationToken cancellationToken) =>
        SendAsync<ReservationAnswer>(_clients.Concerts, HttpMethod.Post, "/reservations", new { concertId },
            ("X-Entry-Pass", entryPass), _accessToken, cancellationToken, readConflict: true);

    public Task<Answer<PaymentAnswer>> PayAsync(Guid reservationId, string idempotencyKey, CancellationToken cancellationToken) =>
        SendAsync<PaymentAnswer>(_clients.Payments, HttpMethod.Post, "/payments", new { reservationId },
            ("Idempotency-Key", idempotencyKey), _accessToken, cancellationToken);

    public Task<Answer<ReservationAnswer>> ReservationAsync(Guid reservationId, CancellationToken cancellationToken) =>
        SendAsync<ReservationAnswer>(_clients.Concerts, HttpMethod.Get, $"/reservations/{reservationId}", null, null, _accessToken, cancellationToken);

    private static async Task<Answer<T>> SendAsync<T>(
        HttpClient client, HttpMethod method, string path, object? body, (string Name, string Value)? header, string? accessToken,
        CancellationToken cancellationToken, bool readConflict = false)
    {
        using var request = new HttpRequestMessage(method, path) { Content = body is null ? null : JsonContent.Create(body) };
        if (accessToken is not null)
        {
            request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", accessToken);
        }

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
            var conflict = readConflict && status == 409 ? await response.Content.ReadFromJsonAsync<ConflictAnswer>(cancellationToken) : null;
            return new Answer<T>(status, content, conflict);
        }
        catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            return new Answer<T>(0, default); // timed out or refused: the buyer got no answer, which the report counts
        }
    }

    private sealed record IdAnswer(Guid Id);

    private sealed record TokenAnswer(string AccessToken);
}
