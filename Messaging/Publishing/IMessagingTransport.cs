using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Hosting;

namespace ConcertBooking.Messaging.Publishing;

/// <summary>
/// A broker the messaging core can run on. Every transport a service may use is offered to
/// <see cref="MessagingRegistration.AddMessaging{TDbContext}"/>; the one named by <c>Messaging:Transport</c> is
/// plugged in at start, so one build serves every broker and the core never names one.
/// </summary>
public interface IMessagingTransport
{
    /// <summary>The value of <c>Messaging:Transport</c> that selects this transport.</summary>
    string Name { get; }

    /// <summary>The MassTransit bus the consumers are registered on: exactly one <c>UsingXxx</c> call.</summary>
    void ConfigureBus(IBusRegistrationConfigurator bus, MessagingOptions options);

    /// <summary>
    /// The transport's services, added after the bus (whose consumer registrations a transport may read): the relay's
    /// <see cref="ITransportPublisher"/>, the operators' <see cref="Operations.IDeadLetters"/>, its options and checks.
    /// </summary>
    void AddServices<TDbContext>(IHostApplicationBuilder builder, MessagingOptions options) where TDbContext : DbContext;
}
