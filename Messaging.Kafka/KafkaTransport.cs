using ConcertBooking.Configuration;
using ConcertBooking.Messaging.Inbox;
using ConcertBooking.Messaging.Operations;
using ConcertBooking.Messaging.Publishing;
using MassTransit;
using MassTransit.Configuration;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace ConcertBooking.Messaging.Kafka;

/// <summary>
/// <c>Messaging:Transport=Kafka</c>: the relay publishes to a topic per event type (or the topic of its
/// <see cref="Routes">route</see>), keyed by partition key, and a
/// consumer-group member feeds the records to the service's MassTransit consumers through the mediator, whose pipe
/// carries the same inbox and retries as a RabbitMQ receive endpoint. Settings: <c>Messaging:Kafka</c>.
/// </summary>
public sealed class KafkaTransport : IMessagingTransport
{
    public string Name => "Kafka";

    /// <summary>Message types that share a topic instead of one each, as the system composing this transport declares.</summary>
    public IReadOnlyList<KafkaTopicRoute> Routes { get; init; } = [];

    /// <summary>
    /// Records reach the consumers through the mediator. An in-memory bus without endpoints stays so that IBus, its
    /// health check and the consumer registrations exist exactly as on the other transports. Publishing on it would
    /// reach nobody, so it refuses: events go through the outbox.
    /// </summary>
    public void ConfigureBus(IBusRegistrationConfigurator bus, MessagingOptions options) =>
        bus.UsingInMemory((_, memory) =>
        {
            memory.ConfigurePublish(publish => publish.UseExecute(_ => throw OnlyThroughTheOutbox()));
            memory.ConfigureSend(send => send.UseExecute(_ => throw OnlyThroughTheOutbox()));
        });

    /// <summary>Reads the consumer registrations of <c>AddMassTransit</c>, so services register their consumers once, the same way for every transport.</summary>
    public void AddServices<TDbContext>(IHostApplicationBuilder builder, MessagingOptions options) where TDbContext : DbContext
    {
        var services = builder.Services;
        var consumerTypes = services
            .Where(d => !d.IsKeyedService && d.ServiceType == typeof(IConsumerRegistration))
            .Select(d => d.ImplementationInstance)
            .OfType<IConsumerRegistration>()
            .Select(r => r.Type)
            .Distinct()
            .ToList();

        // The mediator runs a consumer in-process and completes when it has (throwing when it failed after the
        // retries), which is what committing an offset needs.
        services.AddMediator(mediator =>
        {
            foreach (var consumerType in consumerTypes)
            {
                mediator.AddConsumer(consumerType);
            }

            mediator.ConfigureMediator((context, configurator) => ConsumerPipeline.UseInboxAndRetries<TDbContext>(
                configurator, options.Consumers, context.GetRequiredService<IDatabaseDialect>()));
        });

        services.AddValidatedOptions<KafkaOptions, KafkaOptionsValidator>(KafkaOptions.SectionName)
            .PostConfigure(kafka =>
            {
                kafka.GroupId ??= options.ServiceName;
                kafka.ClientId ??= $"{options.ServiceName}-{Environment.MachineName}";
                // Stable across restarts of this instance: what static membership needs to hand its partitions back at once.
                kafka.GroupInstanceId ??= $"{options.ServiceName}-{Environment.MachineName}";
            });
        services.AddSingleton<IValidateOptions<KafkaOptions>, KafkaOptionsValidation>();
        services.AddSingleton<IValidateOptions<KafkaOptions>, KafkaDeliveryTimeoutValidation>();
        services.AddSingleton(provider => new KafkaTopics(provider.GetRequiredService<IOptions<KafkaOptions>>(), Routes));
        services.AddSingleton(provider => new KafkaSubscriptions(consumerTypes, provider.GetRequiredService<KafkaTopics>()));
        services.AddSingleton<KafkaProducerHost>();
        services.AddSingleton<KafkaTopicAdmin>();
        services.AddSingleton<KafkaDeadLetterWriter>();
        services.AddSingleton<KafkaRecordHandler>();
        services.AddSingleton<KafkaConsumerLag>();
        services.AddSingleton<KafkaMetrics>();
        services.AddSingleton<KafkaDeadLetterWrites>();
        services.AddSingleton<KafkaConsumerState>();
        services.AddSingleton<ITransportPublisher, KafkaPublisher>();
        services.AddSingleton<IDeadLetters, KafkaDeadLetterReader>();
        services.AddHostedService<KafkaConsumerService>();
        // In /health, not readiness: while the cluster is away the service still takes writes into its outbox.
        services.AddHealthChecks()
            .AddCheck<KafkaHealthCheck>("kafka", tags: [MessagingHealthChecks.Tag])
            .AddCheck<KafkaConsumerHealthCheck>("kafka-consumer", tags: [MessagingHealthChecks.Tag])
            .AddCheck<KafkaDeadLetterHealthCheck>("kafka-dead-letters", tags: [MessagingHealthChecks.Tag]);
    }

    private static NotSupportedException OnlyThroughTheOutbox() =>
        new("With Messaging:Transport=Kafka the MassTransit bus carries nothing: add events to the IOutbox, whose relay publishes them to Kafka.");
}
