using ConcertBooking.ConcertService.Data;
using ConcertBooking.Database;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace ConcertBooking.ConcertService.Concerts;

/// <summary>
/// Adds the configured demo concerts and any of their seats that are missing. Idempotent, so it runs at every
/// start (after the migrator, which is registered first); existing seats keep their state and price.
/// </summary>
public sealed partial class ConcertSeeder(IServiceScopeFactory scopeFactory, IOptions<ConcertCatalogOptions> options, ILogger<ConcertSeeder> logger)
    : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopeFactory.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ConcertDbContext>();
        foreach (var demo in options.Value.Demo)
        {
            if (!await db.Concerts.AnyAsync(c => c.Id == demo.Id, cancellationToken))
            {
                db.Concerts.Add(new Concert { Id = demo.Id, Name = demo.Name, Venue = demo.Venue, StartsAt = demo.StartsAt });
            }

            var existing = (await db.Seats.Where(s => s.ConcertId == demo.Id).Select(s => s.Label).ToListAsync(cancellationToken)).ToHashSet();
            var missing = demo.Rows
                .SelectMany(row => Enumerable.Range(1, demo.SeatsPerRow).Select(number => $"{row}{number}"))
                .Distinct()
                .Where(label => !existing.Contains(label))
                .Select(label => new Seat { Id = Guid.CreateVersion7(), ConcertId = demo.Id, Label = label, Price = demo.Price, Status = SeatStatus.Available })
                .ToList();
            db.Seats.AddRange(missing);
            try
            {
                await db.SaveChangesAsync(cancellationToken);
                LogSeeded(logger, demo.Name, missing.Count);
            }
            catch (DbUpdateException exception) when (exception.IsUniqueViolation())
            {
                // Another instance seeded the same concert at the same moment: its rows are as good as ours.
                db.ChangeTracker.Clear();
                LogSeededConcurrently(logger, demo.Name);
            }
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Information, Message = "Seeded concert {Concert}: {Added} seats added")]
    private static partial void LogSeeded(ILogger logger, string concert, int added);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Seeding concert {Concert} hit rows written at the same time (another instance?); kept those")]
    private static partial void LogSeededConcurrently(ILogger logger, string concert);
}
