using ConcertBooking.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ConcertBooking.Messaging.Inbox;

/// <summary>
/// At start, before the bus and any transport consumer: bounds <see cref="ConsumerConcurrency"/> below the database
/// connection pool of the service's connection string. <c>Messaging:Consumers:MaxConcurrentHandlers</c> when set (a
/// value that leaves the relay no connection stops the service, naming the settings), else the consumers' share of the pool
/// (<see cref="ConnectionPool"/>: half; the other half goes to HTTP actions, the relay and housekeeping).
/// </summary>
internal sealed partial class ConsumerConcurrencyLimit(
    IServiceProvider services,
    ConsumerConcurrency concurrency,
    IOptions<MessagingOptions> options,
    ILogger<ConsumerConcurrencyLimit> logger) : IHostedService
{
    public const string Setting = MessagingOptions.SectionName + ":Consumers:" + nameof(ConsumerOptions.MaxConcurrentHandlers);

    public Task StartAsync(CancellationToken cancellationToken)
    {
        // Read here, not injected: the host builds its hosted services before it validates options, and reading the
        // pool builds the database context from options that may be invalid.
        var pool = services.GetRequiredService<ConnectionPool>();
        // Every handler holds a connection until it commits: a bound the pool cannot serve with the others' stops the service.
        var bound = options.Value.Consumers.MaxConcurrentHandlers ?? pool.ConsumersShare;
        pool.Claim(Setting, bound);
        concurrency.Bound(bound);
        LogBound(logger, bound, pool.Size);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Information, Message = "Consumers run at most {Limit} transactions at once (database connection pool: {Pool})")]
    private static partial void LogBound(ILogger logger, int limit, int? pool);
}
