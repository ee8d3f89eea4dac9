using ConcertBooking.ConcertService.Data;
using ConcertBooking.Database;
using ConcertBooking.Messaging.Outbox;
using Microsoft.EntityFrameworkCore;

namespace ConcertBooking.ConcertService.Concerts;

/// <summary>
/// Adds a configured demo concert and any of its seats that are missing. Idempotent: existing seats keep their
/// state and price. The concert's <see cref="Contracts.ConcertScheduled"/> is written to the outbox in the same
/// transaction: for a new concert with its rows, for an existing one as an announcement at its current version, so
/// that a service whose replica missed it (it started later, or lost its data) learns it at ConcertService's next start.
/// </summary>
public sealed class SeedDemoConcert(ConcertDbContext db, IOutbox outbox, TimeProvider time)
{
    public async Task<SeedDemoConcertResult> SeedAsync(DemoConcert demo, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var concert = await db.Concerts.AsNoTracking().FirstOrDefaultAsync(c => c.Id == demo.Id, cancellationToken);
        if (concert is null)
        {
            (concert, var scheduled) = Concert.Schedule(demo.Id, demo.Name, demo.Venue, demo.StartsAt, now);
            db.Concerts.Add(concert);
            outbox.Add(scheduled, partitionKey: concert.Id.ToString());
        }
        else
        {
            outbox.Add(concert.Announce(now), partitionKey: concert.Id.ToString());
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
