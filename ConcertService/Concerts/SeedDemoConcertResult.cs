namespace ConcertBooking.ConcertService.Concerts;

/// <summary>What <see cref="SeedDemoConcert"/> did.</summary>
public abstract record SeedDemoConcertResult
{
    private SeedDemoConcertResult()
    {
    }

    /// <summary>The concert exists, with <paramref name="SeatsAdded"/> seats added now (0 when all were there).</summary>
    public sealed record Seeded(int SeatsAdded) : SeedDemoConcertResult;

    /// <summary>Another instance seeded the same concert at the same moment: its rows are as good as these.</summary>
    public sealed record SeededConcurrently : SeedDemoConcertResult;
}
