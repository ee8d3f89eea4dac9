using ConcertBooking.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace ConcertBooking.ServiceDefaults;

/// <summary>
/// A configured <see cref="HttpLimitsOptions.MaxConcurrentActions"/> must leave the relay, the consumers and
/// housekeeping at least one of the database's pooled connections: each action holds one until it answers.
/// </summary>
internal sealed class HttpLimitsPoolValidator(IServiceProvider services) : IValidateOptions<HttpLimitsOptions>
{
    private const string Setting = HttpLimitsOptions.SectionName + ":" + nameof(HttpLimitsOptions.MaxConcurrentActions);

    public ValidateOptionsResult Validate(string? name, HttpLimitsOptions options) =>
        options.MaxConcurrentActions is { } actions && services.GetService<ConnectionPool>() is { } pool && !pool.LeavesRoomFor(actions)
            ? ValidateOptionsResult.Fail(
                $"{Setting} is {actions}, but the database connection pool holds {pool.Size} connections (the pool size of the " +
                "connection string): every action holds a connection until it answers, and the outbox relay, the consumers " +
                $"and housekeeping need some too. Set {Setting} below {pool.Size} (unset, it is {pool.ActionsShare}), or raise the pool size.")
            : ValidateOptionsResult.Success;
}
