using ConcertBooking.Configuration;
using ConcertBooking.Messaging.Operations;
using ConcertBooking.Messaging.Publishing;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace ConcertBooking.Messaging.RabbitMq;

/// <summary>
/// <c>Messaging:Transport=RabbitMq</c>: MassTransit's RabbitMQ bus (durable queues, an exchange per message type) with
/// publisher confirms, and its <c>_error</c> queues as the dead letters operators list and replay. Settings:
/// <c>Messaging:RabbitMq</c>.
/// </summary>
public sealed class RabbitMqTransport : IMessagingTransport
{
    public string Name => "RabbitMq";

    public void ConfigureBus(IBusRegistrationConfigurator bus, MessagingOptions options) =>
        bus.UsingRabbitMq((context, rabbit) =>
        {
            var settings = context.GetRequiredService<IOptions<RabbitMqOptions>>().Value;
            rabbit.Host(settings.Host, settings.Port, settings.VirtualHost, host =>
            {
                host.Username(settings.Username);
                host.Password(settings.Password);
                host.PublisherConfirmation = true;
            });
            rabbit.UseInstrumentation(serviceName: options.ServiceName);
            rabbit.ConfigureEndpoints(context);
        });

    public void AddServices<TDbContext>(IHostApplicationBuilder builder, MessagingOptions options) where TDbContext : DbContext
    {
        builder.Services.AddValidatedOptions<RabbitMqOptions, RabbitMqOptionsValidator>(RabbitMqOptions.SectionName);
        builder.Services.AddSingleton<ITransportPublisher, RabbitMqPublisher>();
        builder.Services.AddSingleton<IDeadLetters, RabbitMqDeadLetters>();
    }
}
