using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ConcertBooking.Messaging.Inbox;

/// <summary>
/// At start, before the bus and any transport consumer: bounds <see cref="ConsumerConcurrency"/> below the database
/// connection pool of the service's connection string. <c>Messaging:Consumers:MaxConcurrentHandlers</c> when set (a
/// value the pool cannot serve stops the service, naming both settings), else half the pool, which leaves the other half
/// to HTTP requests, the relay and housekeeping.
/// </summary>
internal sealed partial class ConsumerConcurrencyLimit<TDbContext>(
    IServiceScopeFactory scopeFactory,
    IDatabaseDialect dialect,
    ConsumerConcurrency concurrency,
    IOptions<MessagingOptions> options,
    ILogger<ConsumerConcurrencyLimit<TDbContext>> logger) : IHostedService
    where TDbContext : DbContext
{
    public const string Setting = MessagingOptions.SectionName + ":Consumers:" + nameof(ConsumerOptions.MaxConcurrentHandlers);

    /// <summary>Without pooling every handler opens a connection of its own; the bound then only spares the server.</summary>
    private const int DefaultWithoutPool = 100;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopeFactory.CreateAsyncScope();
        var connectionString = scope.ServiceProvider.GetRequiredService<TDbContext>().Database.GetConnectionString();
        var pool = connectionString is null ? null : dialect.ConnectionPoolSize(connectionString);
        var configured = options.Value.Consumers.MaxConcurrentHandlers;
        if (configured is { } limit && pool is { } size && limit >= size)
        {
            throw new OptionsValidationException(Setting, typeof(ConsumerOptions),
            [
                $"{Setting} is {limit}, but the database connection pool holds {size} connections (the pool size of the " +
                "connection string): every handler holds a connection until it commits, and HTTP requests, the relay and " +
                $"housekeeping need some too. Set {Setting} below {size}, or raise the pool size.",
            ]);
        }

        var bound = configured ?? Math.Max(1, (pool ?? DefaultWithoutPool) / 2);
        concurrency.Bound(bound);
        LogBound(logger, bound, pool);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Information, Message = "Consumers run at most {Limit} transactions at once (database connection pool: {Pool})")]
    private static partial void LogBound(ILogger logger, int limit, int? pool);
}
