using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Microsoft.Extensions.Logging.Abstractions;

namespace ConcertBooking.Tests.Infrastructure;

/// <summary>What the AppHost's model gives a service, read as a deployment manifest would write it, without running it.</summary>
public static class AppHostModel
{
    public static async Task<Dictionary<string, string>> EnvironmentAsync(ProjectResource service)
    {
        var configuration = await ExecutionConfigurationBuilder.Create(service)
            .WithEnvironmentVariablesConfig()
            .BuildAsync(new DistributedApplicationExecutionContext(DistributedApplicationOperation.Publish), NullLogger.Instance);
        return configuration.EnvironmentVariables.ToDictionary(variable => variable.Key, variable => variable.Value);
    }
}
