using Microsoft.Extensions.Options;

namespace ConcertBooking.ConcertService.Concerts;

/// <summary>
/// Seeds the configured demo concerts at every start (after the migrator, which is registered first); see
/// <see cref="SeedDemoConcert"/>.
/// </summary>
public sealed partial class ConcertSeeder(IServiceScopeFactory scopeFactory, IOptions<ConcertCatalogOptions> options, ILogger<ConcertSeeder> logger)
    : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopeFactory.CreateAsyncScope();
        var seed = scope.ServiceProvider.GetRequiredService<SeedDemoConcert>();
        foreach (var demo in options.Value.Demo)
        {
            switch (await seed.SeedAsync(demo, cancellationToken))
            {
                case SeedDemoConcertResult.Seeded(var added):
                    LogSeeded(logger, demo.Name, added);
                    break;
                case SeedDemoConcertResult.SeededConcurrently:
                    LogSeededConcurrently(logger, demo.Name);
                    break;
            }
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Information, Message = "Seeded concert {Concert}: {Added} seats added")]
    private static partial void LogSeeded(ILogger logger, string concert, int added);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Seeding concert {Concert} hit rows written at the same time (another instance?); kept those")]
    private static partial void LogSeededConcurrently(ILogger logger, string concert);
}
