namespace ConcertBooking.Bench;

/// <summary>
/// The flash sale's concert (rows of 100 seats at one price) for ConcertService, and an admission for TokenService
/// fast enough that the system, not the admitter, is what limits the sale.
/// </summary>
internal static class FlashSaleSettings
{
    public static readonly Guid ConcertId = Guid.Parse("f1a50000-0000-4000-8000-000000000001");

    public const decimal Price = 25.00m;

    public const int SeatsPerRow = 100;

    /// <summary>What each buyer's wallet is topped up with: four seats' worth, so a double charge would succeed and show.</summary>
    public const decimal TopUp = 4 * Price;

    /// <summary>The concert of the rehearsal before the sale (<see cref="FlashSale.RehearseAsync"/>), with buyers of its own.</summary>
    public static readonly Guid RehearsalConcertId = Guid.Parse("f1a50000-0000-4000-8000-000000000002");

    /// <summary>
    /// Demo concerts 3 (the sale) and 4 (its rehearsal, a tenth of its seats); 0–1 are the appsettings' demos, 2 the
    /// reservation phase's.
    /// </summary>
    public static IEnumerable<KeyValuePair<string, string>> Concerts(int seats) =>
        Concert(3, ConcertId, "Flash sale", seats).Concat(Concert(4, RehearsalConcertId, "Flash sale rehearsal", RehearsalSize(seats)));

    /// <summary>A tenth of the sale, at least one row: enough calls of every step of a purchase for the JIT to finish with them.</summary>
    public static int RehearsalSize(int saleSize) => Math.Max(SeatsPerRow, saleSize / 10);

    private static IEnumerable<KeyValuePair<string, string>> Concert(int index, Guid id, string name, int seats)
    {
        var rows = Math.Max(1, seats / SeatsPerRow);
        var prefix = $"Concerts__Demo__{index}__";
        yield return new(prefix + "Id", id.ToString());
        yield return new(prefix + "Name", name);
        yield return new(prefix + "Venue", "Loopback Stadium");
        yield return new(prefix + "StartsAt", "2030-06-01T20:00:00+00:00");
        for (var row = 0; row < rows; row++)
        {
            yield return new($"{prefix}Rows__{row}", RowName(row));
        }

        yield return new(prefix + "SeatsPerRow", SeatsPerRow.ToString());
        yield return new(prefix + "Price", Price.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    /// <summary>
    /// 1,000 admissions every 100 ms (10,000/s): the whole crowd is let in about as fast as it arrives, and the
    /// passes last longer than the sale.
    /// </summary>
    public static readonly KeyValuePair<string, string>[] Admission =
    [
        new("Queue__AdmissionInterval", "00:00:00.100"),
        new("Queue__AdmitPerInterval", "1000"),
        new("Queue__AdmissionLifetime", "00:30:00"),
    ];

    /// <summary>A, B, … Z, AA, AB, …: row labels for any number of rows.</summary>
    private static string RowName(int row) => row < 26 ? ((char)('A' + row)).ToString() : RowName((row / 26) - 1) + (char)('A' + (row % 26));
}
