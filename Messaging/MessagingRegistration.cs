using ConcertBooking.Messaging.Database;
using ConcertBooking.Messaging.Inbox;
using ConcertBooking.Messaging.Kafka;
using ConcertBooking.Messaging.Operations;
using ConcertBooking.Messaging.Outbox;
using ConcertBooking.Messaging.Transport;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace ConcertBooking.Messaging;

public static class MessagingRegistration
{
    /// <summary>
    /// The outbox, its relay, the inbox in front of every consumer, and the transport named by
    /// <c>Messaging:Transport</c>. Every service composes its messaging through this one call.
    /// </summary>
    public static IHostApplicationBuilder AddMessaging<TDbContext>(
        this IHostApplicationBuilder builder, Action<IBusRegistrationConfigurator>? configureConsumers = null)
        where TDbContext : DbContext
    {
        var services = builder.Services;
        services.AddOptions<MessagingOptions>()
            .BindConfiguration(MessagingOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        var options = builder.Configuration.GetSection(MessagingOptions.SectionName).Get<MessagingOptions>() ?? new MessagingOptions();

        services.TryAddSingleton(TimeProvider.System);
        services.AddMetrics();
        services.TryAddSingleton<MessagingMetrics>();
        services.TryAddSingleton<OutboxSignal>();
        services.AddScoped<IOutbox, EfOutbox<TDbContext>>();

        if (options.Transport != MessagingTransport.Kafka)
        {
            services.AddSingleton<ITransportPublisher, MassTransitPublisher>();
        }

        services.TryAddSingleton<RecentActivity>();
        services.TryAddSingleton<ReceiveEndpoints>();
        services.AddSingleton<IOutboxStatusReader, OutboxStatusReader<TDbContext>>();
        services.AddHostedService<OutboxMonitor>();
        services.AddHealthChecks().AddCheck<OutboxHealthCheck<TDbContext>>("outbox", tags: ["ready"]);
        if (options.Transport == MessagingTransport.RabbitMq)
        {
            services.AddSingleton<IDeadLetters, RabbitMqDeadLetters>();
        }
        else if (options.Transport == MessagingTransport.InMemory)
        {
            services.AddSingleton<IDeadLetters, NoDeadLetters>();
        }

        if (options.Outbox.RelayEnabled)
        {
            services.AddHostedService<OutboxRelay<TDbContext>>();
        }

        services.AddHostedService<MessagingCleanup<TDbContext>>();

        services.AddMassTransit(bus =>
        {
            bus.SetEndpointNameFormatter(new KebabCaseEndpointNameFormatter(options.ServiceName, includeNamespace: false));
            configureConsumers?.Invoke(bus);
            bus.AddInboxAndRetries<TDbContext>(options.Consumers);

            switch (options.Transport)
            {
                case MessagingTransport.RabbitMq:
                    bus.UsingRabbitMq((context, rabbit) =>
                    {
                        var settings = context.GetRequiredService<IOptions<MessagingOptions>>().Value.RabbitMq;
                        rabbit.Host(settings.Host, settings.Port, settings.VirtualHost, host =>
                        {
                            host.Username(settings.Username);
                            host.Password(settings.Password);
                            host.PublisherConfirmation = true;
                        });
                        rabbit.UseInstrumentation(serviceName: options.ServiceName);
                        rabbit.ConfigureEndpoints(context);
                    });
                    break;
                case MessagingTransport.InMemory:
                    bus.UsingInMemory((context, memory) =>
                    {
                        memory.UseInstrumentation(serviceName: options.ServiceName);
                        memory.ConfigureEndpoints(context);
                    });
                    break;
                case MessagingTransport.Kafka:
                    // Kafka records reach the consumers through the mediator (AddKafkaTransport). An in-memory bus
                    // without endpoints stays so that IBus, its health check and the consumer registrations above
                    // exist exactly as on the other transports. Publishing on it would reach nobody, so it refuses:
                    // events go through the outbox.
                    bus.UsingInMemory((_, memory) =>
                    {
                        memory.ConfigurePublish(publish => publish.UseExecute(_ => throw OnlyThroughTheOutbox()));
                        memory.ConfigureSend(send => send.UseExecute(_ => throw OnlyThroughTheOutbox()));
                    });
                    break;
                default:
                    throw new NotSupportedException($"Messaging transport '{options.Transport}' is not supported.");
            }
        });

        if (options.Transport == MessagingTransport.Kafka)
        {
            services.AddKafkaTransport<TDbContext>(options.Consumers);
        }

        return builder;
    }

    private static NotSupportedException OnlyThroughTheOutbox() =>
        new("With Messaging:Transport=Kafka the MassTransit bus carries nothing: add events to the IOutbox, whose relay publishes them to Kafka.");

    /// <summary>
    /// Every receive endpoint: the inbox around each consumer, bounded concurrency, and retries that give a
    /// transient failure (database restarting) much longer than a permanent one before the error queue.
    /// Applied through endpoint configuration so that it holds on every transport, the test harness's included.
    /// </summary>
    public static IBusRegistrationConfigurator AddInboxAndRetries<TDbContext>(
        this IBusRegistrationConfigurator bus, ConsumerOptions options)
        where TDbContext : DbContext
    {
        // What the inbox filter resolves, so that a bus configured without AddMessaging (a test harness) works too.
        bus.TryAddSingleton(TimeProvider.System);
        bus.AddMetrics();
        bus.TryAddSingleton<MessagingMetrics>();
        bus.TryAddSingleton<RecentActivity>();
        bus.TryAddSingleton<ReceiveEndpoints>();
        bus.AddConfigureEndpointsCallback((context, queue, endpoint) =>
        {
            context.GetService<ReceiveEndpoints>()?.Add(queue);
            endpoint.ConcurrentMessageLimit = options.ConcurrentMessageLimit;
            UseInboxAndRetries<TDbContext>(endpoint, options);
        });
        return bus;
    }

    /// <summary>The retry policy and the inbox of a receive endpoint, or of the Kafka transport's mediator (one too).</summary>
    internal static void UseInboxAndRetries<TDbContext>(IReceiveEndpointConfigurator configurator, ConsumerOptions options)
        where TDbContext : DbContext
    {
        if (options.TransientRetryLimit > 0)
        {
            configurator.UseMessageRetry(retry =>
            {
                retry.Handle<Exception>(DatabaseProviders.IsTransient);
                retry.Exponential(options.TransientRetryLimit, TimeSpan.FromMilliseconds(100), options.TransientRetryMaxDelay, TimeSpan.FromMilliseconds(200));
            });
        }

        if (options.RetryLimit > 0)
        {
            configurator.UseMessageRetry(retry =>
            {
                retry.Ignore<Exception>(DatabaseProviders.IsTransient);
                retry.Intervals([.. Enumerable.Range(1, options.RetryLimit).Select(i => TimeSpan.FromMilliseconds(100 * i))]);
            });
        }

        configurator.ConnectConsumerConfigurationObserver(new InboxConfigurationObserver<TDbContext>());
    }
}
