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

    /// <summary>Demo concert index 3 (0–1 are the appsettings' demos, 2 the reservation phase's).</summary>
    public static IEnumerable<KeyValuePair<string, string>> Concert(int seats)
    {
        var rows = Math.Max(1, seats / SeatsPerRow);
        yield return new("Concerts__Demo__3__Id", ConcertId.ToString());
        yield return new("Concerts__Demo__3__Name", "Flash sale");
        yield return new("Concerts__Demo__3__Venue", "Loopback Stadium");
        yield return new("Concerts__Demo__3__StartsAt", "2030-06-01T20:00:00+00:00");
        for (var row = 0; row < rows; row++)
        {
            yield return new($"Concerts__Demo__3__Rows__{row}", RowName(row));
        }

        yield return new("Concerts__Demo__3__SeatsPerRow", SeatsPerRow.ToString());
        yield return new("Concerts__Demo__3__Price", Price.ToString(System.Globalization.CultureInfo.InvariantCulture));
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
