using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ConcertBooking.AppHost;

public static class InfrastructureExtensions
{
    /// <summary>
    /// RabbitMQ and PostgreSQL for the services: containers where a container engine answers, this machine's own
    /// daemons where not (as on the project's development machines, which have the docker client but no engine).
    /// <c>ConcertBooking:Infrastructure</c> = <c>Local</c> or <c>Containers</c> skips the question.
    /// </summary>
    public static IServiceInfrastructure AddInfrastructure(this IDistributedApplicationBuilder builder, AppHostSettings settings)
    {
        var mode = settings.Infrastructure;
        var reason = "set by ConcertBooking:Infrastructure";
        if (mode == InfrastructureMode.Auto)
        {
            mode = ContainerEngine.IsReachable(builder.Configuration, out var engine) ? InfrastructureMode.Containers : InfrastructureMode.Local;
            reason = engine;
        }

        IServiceInfrastructure infrastructure;
        string found;
        if (mode == InfrastructureMode.Containers)
        {
            infrastructure = ContainerInfrastructure.Add(builder, settings);
            found = settings.Transport == ServiceTransport.RabbitMq
                ? "PostgreSQL and RabbitMQ run as containers"
                : "PostgreSQL runs as a container";
        }
        else
        {
            var local = LocalInfrastructure.Add(builder, settings);
            infrastructure = local;
            found = local.Description;
        }

        builder.Eventing.Subscribe<BeforeStartEvent>((@event, _) =>
        {
            @event.Services.GetRequiredService<ILoggerFactory>().CreateLogger("ConcertBooking.AppHost")
                .LogInformation("Infrastructure {Mode} ({Reason}): {Found}", mode, reason, found);
            return Task.CompletedTask;
        });
        return infrastructure;
    }
}
