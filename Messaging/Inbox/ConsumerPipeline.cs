using ConcertBooking.Messaging.Diagnostics;
using ConcertBooking.Messaging.Operations;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace ConcertBooking.Messaging.Inbox;

/// <summary>
/// What runs around every consumer, on every transport: retries that give a transient failure (database
/// restarting) much longer than a permanent one, and no limit at all for a booking consumer
/// (<see cref="UnboundedTransientRetryAttribute"/>), then the inbox, which runs the consumer in one transaction with
/// its <c>(MessageId, consumer)</c> entry.
/// </summary>
public static class ConsumerPipeline
{
    /// <summary>
    /// Applies the pipeline to every receive endpoint the bus configures, the test harness's included, with bounded
    /// concurrency. The database's <see cref="IDatabaseDialect"/> must be registered (it tells transient failures apart).
    /// </summary>
    public static IBusRegistrationConfigurator AddInboxAndRetries<TDbContext>(this IBusRegistrationConfigurator bus, ConsumerOptions options)
        where TDbContext : DbContext
    {
        // What the inbox filter resolves, so that a bus configured without AddMessaging (a test harness) works too.
        bus.TryAddSingleton(TimeProvider.System);
        bus.AddMetrics();
        bus.TryAddSingleton<MessagingMetrics>();
        bus.TryAddSingleton<RecentActivity>();
        bus.TryAddSingleton<ReceiveEndpoints>();
        bus.TryAddSingleton<ConsumerConcurrency>();
        bus.TryAddSingleton<IInboxBatches, InboxBatches<TDbContext>>();
        bus.TryAddSingleton<InboxGroupCommits>();
        bus.AddConfigureEndpointsCallback((context, queue, endpoint) =>
        {
            context.GetService<ReceiveEndpoints>()?.Add(queue);
            endpoint.ConcurrentMessageLimit = options.ConcurrentMessageLimit;
            UseInboxAndRetries<TDbContext>(endpoint, options, context.GetRequiredService<IDatabaseDialect>());
        });
        return bus;
    }

    /// <summary>The retry policy and the inbox of one receive pipe: an endpoint's, or a transport's mediator.</summary>
    public static void UseInboxAndRetries<TDbContext>(IReceiveEndpointConfigurator configurator, ConsumerOptions options, IDatabaseDialect dialect)
        where TDbContext : DbContext
    {
        configurator.ConnectConsumerConfigurationObserver(new RetryConfigurationObserver(options, dialect));
        configurator.ConnectConsumerConfigurationObserver(new InboxConfigurationObserver<TDbContext>(options));
    }
}
