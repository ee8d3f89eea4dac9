using MassTransit;
using Microsoft.EntityFrameworkCore;

namespace ConcertBooking.Messaging.Inbox;

/// <summary>Puts the inbox in front of every consumer of the bus, so none can be configured without it.</summary>
internal sealed class InboxConfigurationObserver<TDbContext>(ConsumerOptions options) : IConsumerConfigurationObserver
    where TDbContext : DbContext
{
    public void ConsumerConfigured<TConsumer>(IConsumerConfigurator<TConsumer> configurator) where TConsumer : class
    {
    }

    public void ConsumerMessageConfigured<TConsumer, TMessage>(IConsumerMessageConfigurator<TConsumer, TMessage> configurator)
        where TConsumer : class
        where TMessage : class =>
        configurator.UseFilter(new InboxFilter<TConsumer, TMessage, TDbContext>(options));
}
