using ConcertBooking.Messaging.Kafka;
using ConcertBooking.Messaging.Publishing;
using ConcertBooking.Messaging.RabbitMq;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Hosting;

namespace ConcertBooking.Messaging.Hosting;

public static class MessagingHostingExtensions
{
    /// <summary>Every transport a service can be configured to run on; <c>Messaging:Transport</c> picks one at start.</summary>
    public static readonly IReadOnlyList<IMessagingTransport> Transports =
        [new RabbitMqTransport(), new KafkaTransport { Routes = SystemTopology.KafkaRoutes }];

    /// <summary>The outbox, relay and inbox on the configured transport: every service composes its messaging through this call.</summary>
    public static IHostApplicationBuilder AddMessaging<TDbContext>(
        this IHostApplicationBuilder builder, Action<IBusRegistrationConfigurator>? configureConsumers = null)
        where TDbContext : DbContext =>
        builder.AddMessaging<TDbContext>(Transports, configureConsumers);
}
