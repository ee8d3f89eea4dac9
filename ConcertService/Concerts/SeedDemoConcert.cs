using ConcertBooking.ConcertService.Data;
using ConcertBooking.Database;
using Microsoft.EntityFrameworkCore;

namespace ConcertBooking.ConcertService.Concerts;

/// <summary>
/// Adds a configured demo concert and any of its seats that are missing. Idempotent: existing seats keep their
/// state and price.
/// </summary>
public sealed class SeedDemoConcert(ConcertDbContext db)
{
    public async Task<SeedDemoConcertResult> SeedAsync(DemoConcert demo, CancellationToken cancellationToken)
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
            .Select(label => Seat.Available(demo.Id, label, demo.Price))
            .ToList();
        db.Seats.AddRange(missing);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
            return new SeedDemoConcertResult.Seeded(missing.Count);
        }
        catch (DbUpdateException exception) when (exception.IsUniqueViolation())
        {
            db.ChangeTracker.Clear();
            return new SeedDemoConcertResult.SeededConcurrently();
        }
    }
}
