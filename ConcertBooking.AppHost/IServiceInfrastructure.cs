namespace ConcertBooking.AppHost;

/// <summary>Where a service finds its database and the RabbitMQ broker: this machine's daemons, or containers.</summary>
public interface IServiceInfrastructure
{
    /// <summary>Sets the service's <c>ConnectionStrings:Database</c> to its own database, and starts it only once that is up.</summary>
    IResourceBuilder<ProjectResource> WithDatabase(IResourceBuilder<ProjectResource> service, string database);

    /// <summary>Sets the service's <c>Messaging:RabbitMq</c>, and starts it only once the broker is up.</summary>
    IResourceBuilder<ProjectResource> WithRabbitMq(IResourceBuilder<ProjectResource> service);
}
