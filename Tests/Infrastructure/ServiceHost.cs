using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ConcertBooking.Tests.Infrastructure;

/// <summary>
/// One service hosted in-process on its real Program, with configuration overrides: its own database, the
/// run's virtual host. <typeparamref name="TEntryPoint"/> is any type of the service's assembly.
/// </summary>
public sealed class ServiceHost<TEntryPoint>(
    string name, IReadOnlyDictionary<string, string?> settings, Action<IServiceCollection>? testServices = null)
    : WebApplicationFactory<TEntryPoint>
    where TEntryPoint : class
{
    public string Name { get; } = name;

    public IReadOnlyDictionary<string, string?> Settings { get; } = settings;

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        builder.UseSetting("Logging:LogLevel:Default", "Warning");
        builder.UseSetting("Logging:LogLevel:Microsoft.Hosting.Lifetime", "Warning");
        // Tests inject database and broker failures on purpose; their assertions say what matters.
        builder.UseSetting("Logging:LogLevel:Microsoft.EntityFrameworkCore", "None");
        builder.UseSetting("Logging:LogLevel:Microsoft.Extensions.Diagnostics.HealthChecks", "None");
        // The run's own keys first (Testing is not Development: the development keys would be refused); a test's settings may override them.
        foreach (var (key, value) in TestSecrets.Settings(Name))
        {
            builder.UseSetting(key, value);
        }

        foreach (var (key, value) in Settings)
        {
            builder.UseSetting(key, value);
        }

        builder.ConfigureLogging(logging => logging.SetMinimumLevel(LogLevel.Warning));
        if (testServices is not null)
        {
            builder.ConfigureTestServices(testServices);
        }
    }

    /// <summary>Another instance of the same service: same database and broker, optionally other settings.</summary>
    public ServiceHost<TEntryPoint> AnotherInstance(IEnumerable<KeyValuePair<string, string?>> overrides)
    {
        var settings = new Dictionary<string, string?>(Settings);
        foreach (var (key, value) in overrides)
        {
            settings[key] = value;
        }

        return new ServiceHost<TEntryPoint>(Name, settings, testServices);
    }

    /// <summary>The loopback address it listens on, when started with <c>UseKestrel</c>.</summary>
    public Uri RealAddress => new(Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First());

    public async Task<T> WithScopeAsync<T>(Func<IServiceProvider, Task<T>> action)
    {
        await using var scope = Services.CreateAsyncScope();
        return await action(scope.ServiceProvider);
    }

    public async Task WithScopeAsync(Func<IServiceProvider, Task> action)
    {
        await using var scope = Services.CreateAsyncScope();
        await action(scope.ServiceProvider);
    }
}
