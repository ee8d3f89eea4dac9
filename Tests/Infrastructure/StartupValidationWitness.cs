using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace ConcertBooking.Tests.Infrastructure;

/// <summary>
/// Keeps the exception a host's start-up validation threw. WebApplicationFactory runs the service's entry point on a
/// thread of its own; when start-up validation fails there, the entry point disposes the host, and if that wins the
/// race with the factory asking the host for its lifetime, the test sees an <see cref="ObjectDisposedException"/>
/// and the refusal itself is swallowed. The witness keeps it either way.
/// </summary>
public sealed class StartupValidationWitness
{
    public OptionsValidationException? Refusal { get; private set; }

    /// <summary>Wraps the registered start-up validator; call from a host's test services.</summary>
    public void Watch(IServiceCollection services)
    {
        var registered = services.LastOrDefault(d => d.ServiceType == typeof(IStartupValidator))
            ?? throw new InvalidOperationException("The service registers no start-up validation to watch.");
        services.Remove(registered);
        services.AddTransient<IStartupValidator>(provider => new Watching(this, Create(provider, registered)));
    }

    private static IStartupValidator Create(IServiceProvider provider, ServiceDescriptor registered) =>
        registered switch
        {
            { ImplementationFactory: { } factory } => (IStartupValidator)factory(provider),
            { ImplementationInstance: IStartupValidator instance } => instance,
            { ImplementationType: { } type } => (IStartupValidator)ActivatorUtilities.CreateInstance(provider, type),
            _ => throw new InvalidOperationException("The start-up validator's registration is not one the witness can wrap."),
        };

    private sealed class Watching(StartupValidationWitness witness, IStartupValidator inner) : IStartupValidator
    {
        public void Validate()
        {
            try
            {
                inner.Validate();
            }
            catch (OptionsValidationException refused)
            {
                witness.Refusal = refused;
                throw;
            }
        }
    }
}
