using System.Net;
using Microsoft.Extensions.Options;

namespace ConcertBooking.ConcertService.Users;

/// <summary>
/// GET UserService's /users/{id} with a timeout and retries: what the replica spares every booking. UserService shows
/// a user only to that user, so the caller's own access token goes along.
/// </summary>
internal sealed class HttpUserLookup(HttpClient client, IOptions<UserLookupOptions> options, IHttpContextAccessor http) : IUserLookup
{
    public bool ReadsLocalReplica => false;

    public async Task<UserLookupResult> FindAsync(Guid userId, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        for (var attempt = 0; ; attempt++)
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(settings.Timeout);
            try
            {
                using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(settings.UserServiceUrl, $"/users/{userId}"));
                if (http.HttpContext?.Request.Headers.Authorization.ToString() is { Length: > 0 } authorization)
                {
                    request.Headers.TryAddWithoutValidation("Authorization", authorization);
                }

                using var response = await client.SendAsync(request, timeout.Token);
                if (response.StatusCode == HttpStatusCode.NotFound)
                {
                    return UserLookupResult.Unknown;
                }

                if (response.IsSuccessStatusCode)
                {
                    return UserLookupResult.Known;
                }
            }
            catch (Exception exception) when (exception is HttpRequestException || (exception is OperationCanceledException && !cancellationToken.IsCancellationRequested))
            {
                // Down or too slow: retried below, like a typical synchronous client would.
            }

            if (attempt >= settings.Retries)
            {
                return UserLookupResult.Unavailable;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(50 * (attempt + 1)), cancellationToken);
        }
    }
}
