using ConcertBooking.Messaging.Operations;
using ConcertBooking.Messaging.Transport;
using MassTransit;
using MassTransit.Configuration;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace ConcertBooking.Messaging.Kafka;

internal static class KafkaRegistration
{
    /// <summary>
    /// The Kafka transport: the relay's publisher, and a consumer-group member that feeds records to the service's
    /// consumers. Called after <c>AddMassTransit</c>, whose consumer registrations it reads, so that services register
    /// their consumers once, the same way for every transport.
    /// </summary>
    public static IServiceCollection AddKafkaTransport<TDbContext>(this IServiceCollection services, ConsumerOptions consumerOptions)
        where TDbContext : DbContext
    {
        var consumerTypes = services
            .Where(d => !d.IsKeyedService && d.ServiceType == typeof(IConsumerRegistration))
            .Select(d => d.ImplementationInstance)
            .OfType<IConsumerRegistration>()
            .Select(r => r.Type)
            .Distinct()
            .ToList();

        // The mediator runs a consumer in-process and completes when it has (throwing when it failed after the
        // retries), which is what committing an offset needs; its pipe gets the same inbox and retries as a
        // RabbitMQ receive endpoint, so a consumer behaves the same on both transports.
        services.AddMediator(mediator =>
        {
            foreach (var consumerType in consumerTypes)
            {
                mediator.AddConsumer(consumerType);
            }

            mediator.ConfigureMediator((_, configurator) =>
                MessagingRegistration.UseInboxAndRetries<TDbContext>(configurator, consumerOptions));
        });

        services.AddSingleton<IValidateOptions<MessagingOptions>, KafkaOptionsValidation>();
        services.AddSingleton<KafkaTopics>();
        services.AddSingleton(provider => new KafkaSubscriptions(consumerTypes, provider.GetRequiredService<KafkaTopics>()));
        services.AddSingleton<KafkaProducerHost>();
        services.AddSingleton<KafkaTopicAdmin>();
        services.AddSingleton<KafkaDeadLetters>();
        services.AddSingleton<KafkaRecordHandler>();
        services.AddSingleton<ITransportPublisher, KafkaPublisher>();
        services.AddSingleton<IDeadLetters, KafkaDeadLetterStore>();
        services.AddHostedService<KafkaConsumerService>();
        services.AddHealthChecks().AddCheck<KafkaHealthCheck>("kafka", HealthStatus.Degraded, tags: ["ready"]);
        return services;
    }
}
