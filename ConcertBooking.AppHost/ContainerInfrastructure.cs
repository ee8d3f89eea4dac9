namespace ConcertBooking.AppHost;

/// <summary>
/// RabbitMQ and PostgreSQL as containers, through Aspire's hosting integrations: for machines with a container
/// engine. Their passwords are generated per run and nothing is kept: like the compose stack, a development system.
/// </summary>
internal sealed class ContainerInfrastructure : IServiceInfrastructure
{
    private readonly AppHostSettings _settings;
    private readonly IResourceBuilder<PostgresServerResource> _postgres;
    private readonly IResourceBuilder<RabbitMQServerResource>? _rabbitMq;

    private ContainerInfrastructure(
        AppHostSettings settings, IResourceBuilder<PostgresServerResource> postgres, IResourceBuilder<RabbitMQServerResource>? rabbitMq)
    {
        _settings = settings;
        _postgres = postgres;
        _rabbitMq = rabbitMq;
    }

    public static ContainerInfrastructure Add(IDistributedApplicationBuilder builder, AppHostSettings settings)
    {
        var postgres = builder.AddPostgres("postgres");
        var rabbitMq = settings.Transport == ServiceTransport.RabbitMq
            ? builder.AddRabbitMQ("rabbitmq").WithManagementPlugin()
            : null;
        return new ContainerInfrastructure(settings, postgres, rabbitMq);
    }

    public IResourceBuilder<ProjectResource> WithDatabase(IResourceBuilder<ProjectResource> service, string database)
    {
        var db = _postgres.AddDatabase($"{database}-db", $"{_settings.DatabasePrefix}_{database}");

        // Four services with Npgsql's default pool of 100 each could exhaust the server's 100 connections.
        return service
            .WithEnvironment("ConnectionStrings__Database", ReferenceExpression.Create($"{db.Resource.ConnectionStringExpression};Maximum Pool Size=20"))
            .WaitFor(db);
    }

    public IResourceBuilder<ProjectResource> WithRabbitMq(IResourceBuilder<ProjectResource> service)
    {
        var rabbitMq = _rabbitMq ?? throw new InvalidOperationException("RabbitMQ is not part of this AppHost: the transport is Kafka.");
        var amqp = rabbitMq.Resource.PrimaryEndpoint;
        return service
            .WithEnvironment("Messaging__RabbitMq__Host", amqp.Property(EndpointProperty.Host))
            .WithEnvironment("Messaging__RabbitMq__Port", amqp.Property(EndpointProperty.Port))
            .WithEnvironment("Messaging__RabbitMq__VirtualHost", "/")
            .WithEnvironment("Messaging__RabbitMq__Username", rabbitMq.Resource.UserNameReference)
            .WithEnvironment("Messaging__RabbitMq__Password", rabbitMq.Resource.PasswordParameter)
            .WaitFor(rabbitMq);
    }
}
