using System.Net.Http.Json;

namespace ConcertBooking.Bench;

/// <summary>
/// The concert's seat map as a sale's front end would serve it: fetched from ConcertService every
/// <see cref="RefreshInterval"/> by one poller, not by each buyer (2,000 seats per GET for 10,000 buyers would be the
/// load, not the sale). Buyers pick among the seats it last showed Available, so near the end they collide.
/// </summary>
internal sealed class SeatMap(HttpClient concerts, Guid concertId)
{
    public static readonly TimeSpan RefreshInterval = TimeSpan.FromMilliseconds(200);

    private volatile Guid[] _available = [];

    /// <summary>Seats Available at the last refresh.</summary>
    public int AvailableCount => _available.Length;

    public async Task RefreshAsync(CancellationToken cancellationToken)
    {
        var seats = await concerts.GetFromJsonAsync<List<SeatAnswer>>($"/concerts/{concertId}/seats", cancellationToken);
        _available = seats!.Where(s => s.Status == "Available").Select(s => s.Id).ToArray();
    }

    /// <summary>Refreshes until cancelled; a failed refresh keeps the last map (the sale goes on with it).</summary>
    public async Task KeepFreshAsync(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(RefreshInterval);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken))
            {
                try
                {
                    await RefreshAsync(cancellationToken);
                }
                catch (HttpRequestException)
                {
                }
                catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
                {
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    /// <summary>A seat the map shows Available that this buyer has not tried yet; null when there is none.</summary>
    public Guid? Pick(Random random, HashSet<Guid> tried)
    {
        var available = _available;
        for (var i = 0; i < 8 && available.Length > 0; i++)
        {
            var seat = available[random.Next(available.Length)];
            if (!tried.Contains(seat))
            {
                return seat;
            }
        }

        var left = available.Where(s => !tried.Contains(s)).ToArray();
        return left.Length == 0 ? null : left[random.Next(left.Length)];
    }

    private sealed record SeatAnswer(Guid Id, string Status);
}
