using ConcertBooking.Configuration;
using ConcertBooking.Messaging.Diagnostics;
using ConcertBooking.Messaging.Housekeeping;
using ConcertBooking.Messaging.Inbox;
using ConcertBooking.Messaging.Operations;
using ConcertBooking.Messaging.Outbox;
using ConcertBooking.Messaging.Publishing;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace ConcertBooking.Messaging;

public static class MessagingRegistration
{
    private const string ReplacedBusCheck = "masstransit-bus";

    /// <summary>
    /// The outbox, its relay, the inbox in front of every consumer, housekeeping and diagnostics, on the transport of
    /// <paramref name="transports"/> that <c>Messaging:Transport</c> names.
    /// </summary>
    public static IHostApplicationBuilder AddMessaging<TDbContext>(
        this IHostApplicationBuilder builder,
        IReadOnlyCollection<IMessagingTransport> transports,
        Action<IBusRegistrationConfigurator>? configureConsumers = null)
        where TDbContext : DbContext
    {
        var services = builder.Services;
        services.AddValidatedOptions<MessagingOptions, MessagingOptionsValidator>(MessagingOptions.SectionName);
        var options = builder.Configuration.GetSection(MessagingOptions.SectionName).Get<MessagingOptions>() ?? new MessagingOptions();
        var transport = transports.FirstOrDefault(t => string.Equals(t.Name, options.Transport, StringComparison.OrdinalIgnoreCase))
            ?? throw new OptionsValidationException(MessagingOptions.SectionName, typeof(MessagingOptions),
                [$"Messaging:Transport '{options.Transport}' is not one of: {string.Join(", ", transports.Select(t => t.Name))}."]);

        services.TryAddSingleton(TimeProvider.System);
        services.AddMetrics();
        services.TryAddSingleton<MessagingMetrics>();
        services.TryAddSingleton<RecentActivity>();
        services.TryAddSingleton<ReceiveEndpoints>();
        services.AddOutbox<TDbContext>();
        services.AddHousekeeping<TDbContext>();
        services.AddSingleton<IOutboxStatusReader, OutboxStatusReader<TDbContext>>();
        services.AddSingleton<IParkedOutboxMessages, ParkedOutboxMessages<TDbContext>>();
        services.AddHealthChecks().AddCheck<OutboxHealthCheck<TDbContext>>("outbox", tags: [MessagingHealthChecks.Tag]);
        services.AddHealthCheckGauge();
        services.AddConsumerConcurrencyLimit<TDbContext>();

        services.AddMassTransit(bus =>
        {
            bus.SetEndpointNameFormatter(new KebabCaseEndpointNameFormatter(options.ServiceName, includeNamespace: false));
            configureConsumers?.Invoke(bus);
            bus.AddInboxAndRetries<TDbContext>(options.Consumers);
            bus.ConfigureHealthCheckOptions(health => health.Name = ReplacedBusCheck);
            // MassTransit would otherwise send the bus's configuration to its project after start (and log a warning
            // wherever the internet is out of reach): what leaves the hosts is the operator's decision. Their switch is
            // MassTransit's own, MASSTRANSIT_USAGE_TELEMETRY=true.
            bus.DisableUsageTelemetry();
            transport.ConfigureBus(bus, options);
        });
        // MassTransit registers its bus check for readiness ("ready" tag), and calls a broker outage Degraded; here
        // readiness means the database answers, and a broker outage is Unhealthy in /health, so the bus check is ours.
        services.PostConfigure<HealthCheckServiceOptions>(health =>
        {
            foreach (var replaced in health.Registrations.Where(r => r.Name == ReplacedBusCheck).ToList())
            {
                health.Registrations.Remove(replaced);
            }
        });
        services.AddHealthChecks().AddCheck<BusHealthCheck>(MessagingHealthChecks.Bus, tags: [MessagingHealthChecks.Tag]);
        transport.AddServices<TDbContext>(builder, options);

        // Hosted services stop in the reverse order of their registration: registered after the bus (AddMassTransit) and
        // the transport's own, the relay stops first, so a publish under way at shutdown still finds a running bus.
        if (options.Outbox.RelayEnabled)
        {
            services.AddHostedService<OutboxRelay<TDbContext>>();
        }

        return builder;
    }

    /// <summary>The outbox and its commit wake-up (an EF Core interceptor the service's DbContext picks up); the relay comes after the bus.</summary>
    private static void AddOutbox<TDbContext>(this IServiceCollection services)
        where TDbContext : DbContext
    {
        services.TryAddSingleton<OutboxSignal>();
        services.TryAddSingleton<OutboxCommitInterceptor>();
        services.AddSingleton<IInterceptor>(provider => provider.GetRequiredService<OutboxCommitInterceptor>());
        services.AddScoped<IOutbox, EfOutbox<TDbContext>>();
    }

    /// <summary>
    /// Bounds the consumers' transactions below the connection pool, before the bus and any transport consumer start. The
    /// pool is read from the context's own connection string, and its split (<see cref="ConnectionPool"/>) is shared with
    /// whoever else bounds its holders (the HTTP actions).
    /// </summary>
    private static void AddConsumerConcurrencyLimit<TDbContext>(this IServiceCollection services)
        where TDbContext : DbContext
    {
        services.TryAddSingleton<ConsumerConcurrency>();
        services.TryAddSingleton(provider =>
        {
            using var scope = provider.CreateScope();
            var connectionString = scope.ServiceProvider.GetRequiredService<TDbContext>().Database.GetConnectionString();
            return new ConnectionPool(connectionString is null ? null : provider.GetRequiredService<IDatabaseDialect>().ConnectionPoolSize(connectionString));
        });
        services.AddHostedService<ConsumerConcurrencyLimit>();
    }

    /// <summary>Every health check's status as a gauge, sampled in the background so that a scrape never runs a check.</summary>
    private static void AddHealthCheckGauge(this IServiceCollection services)
    {
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHealthCheckPublisher, HealthCheckGauge>());
        services.Configure<HealthCheckPublisherOptions>(publisher =>
        {
            publisher.Delay = TimeSpan.FromSeconds(2);
            publisher.Period = TimeSpan.FromSeconds(10);
        });
    }

    private static void AddHousekeeping<TDbContext>(this IServiceCollection services)
        where TDbContext : DbContext
    {
        services.AddHostedService<OutboxCleanup<TDbContext>>();
        services.AddHostedService<InboxCleanup<TDbContext>>();
        services.AddHostedService<OutboxMonitor>();
    }
}
