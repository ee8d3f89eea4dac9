using System.ComponentModel.DataAnnotations;
using System.Net;
using ConcertBooking.ConcertService.Data;
using ConcertBooking.UserReplica;
using Microsoft.Extensions.Options;

namespace ConcertBooking.ConcertService.Users;

public enum UserLookupMode
{
    /// <summary>The local replica: the design.</summary>
    Replica,

    /// <summary>A synchronous call to UserService per request: the design it replaces, kept only to measure against.</summary>
    Http,
}

/// <summary>Bound from <c>UserLookup</c>.</summary>
public sealed class UserLookupOptions
{
    public const string SectionName = "UserLookup";

    public UserLookupMode Mode { get; set; } = UserLookupMode.Replica;

    /// <summary>UserService's base address, for <see cref="UserLookupMode.Http"/>.</summary>
    public Uri UserServiceUrl { get; set; } = new("http://127.0.0.1:5101");

    /// <summary>Per attempt, as a typical client would configure it.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(1);

    [Range(0, 10)]
    public int Retries { get; set; } = 2;
}

public enum UserLookupResult
{
    Known,
    Unknown,

    /// <summary>Only the HTTP lookup can say this: UserService did not answer.</summary>
    Unavailable,
}

public interface IUserLookup
{
    Task<UserLookupResult> FindAsync(Guid userId, CancellationToken cancellationToken);
}

internal sealed class ReplicaUserLookup(ConcertDbContext db) : IUserLookup
{
    public async Task<UserLookupResult> FindAsync(Guid userId, CancellationToken cancellationToken) =>
        await db.IsKnownAsync(userId, cancellationToken) ? UserLookupResult.Known : UserLookupResult.Unknown;
}

/// <summary>GET UserService's /users/{id} with a timeout and retries: what the replica spares every booking.</summary>
internal sealed class HttpUserLookup(HttpClient client, IOptions<UserLookupOptions> options) : IUserLookup
{
    public async Task<UserLookupResult> FindAsync(Guid userId, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        for (var attempt = 0; ; attempt++)
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(settings.Timeout);
            try
            {
                using var response = await client.GetAsync(new Uri(settings.UserServiceUrl, $"/users/{userId}"), timeout.Token);
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

public static class UserLookupRegistration
{
    public static IHostApplicationBuilder AddUserLookup(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<UserLookupOptions>().BindConfiguration(UserLookupOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        var mode = builder.Configuration.GetValue(UserLookupOptions.SectionName + ":Mode", UserLookupMode.Replica);
        if (mode == UserLookupMode.Http)
        {
            builder.Services.AddHttpClient<IUserLookup, HttpUserLookup>();
        }
        else
        {
            builder.Services.AddScoped<IUserLookup, ReplicaUserLookup>();
        }

        return builder;
    }
}
