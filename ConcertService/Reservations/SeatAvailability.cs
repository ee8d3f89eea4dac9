using System.Collections.Concurrent;
using Microsoft.Extensions.Options;

namespace ConcertBooking.ConcertService.Reservations;

/// <summary>
/// Which seats of a concert were Available a moment ago, so that a buyer whose seat was taken is told a few that
/// were free instead of guessing from a seat map that may be seconds old: in a flash sale the guesses, not the sales,
/// were most of the holds (41,630 attempts for 2,000 seats). Read at most once per concert per
/// <see cref="ReservationOptions.SeatSuggestionsMaxAge"/> however many holds are refused, since a read per refusal
/// would cost what the suggestion saves. A hint, never a promise: the hold's conditional UPDATE still decides.
/// </summary>
public sealed class SeatAvailability(IOptions<ReservationOptions> options, TimeProvider time)
{
    private readonly ConcurrentDictionary<Guid, ConcertSeats> _concerts = new();

    /// <summary>
    /// Up to <see cref="ReservationOptions.SeatSuggestions"/> seats other than <paramref name="refused"/>, at random
    /// among those last read, so that buyers refused together do not all run to the same seat next; empty when none
    /// was free; null when suggestions are turned off. <paramref name="read"/> reads the concert's Available seats.
    /// </summary>
    public async ValueTask<IReadOnlyList<AvailableSeat>?> SuggestAsync(
        Guid concertId, Guid refused, Func<Guid, CancellationToken, Task<AvailableSeat[]>> read, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        if (settings.SeatSuggestions == 0)
        {
            return null;
        }

        var concert = _concerts.GetOrAdd(concertId, static _ => new ConcertSeats());
        var seats = await concert.RecentAsync(concertId, read, settings.SeatSuggestionsMaxAge, time, cancellationToken);
        return Pick(seats, refused, settings.SeatSuggestions);
    }

    private static List<AvailableSeat> Pick(AvailableSeat[] seats, Guid refused, int count)
    {
        var picked = new List<AvailableSeat>(Math.Min(count, seats.Length));
        if (seats.Length <= count + 1)
        {
            picked.AddRange(seats.Where(s => s.Id != refused));
            Random.Shared.Shuffle(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(picked));
            // The refused seat is usually not among the free ones read (it was just taken): one more may be left than asked for.
            return picked[..Math.Min(count, picked.Count)];
        }

        // Far more seats than picks: random indexes, skipping repeats and the refused seat, find them in a few tries.
        var taken = new HashSet<int>();
        while (picked.Count < count)
        {
            var index = Random.Shared.Next(seats.Length);
            if (seats[index].Id != refused && taken.Add(index))
            {
                picked.Add(seats[index]);
            }
        }

        return picked;
    }

    /// <summary>One concert's last read, and the gate that lets one caller at a time read it again.</summary>
    private sealed class ConcertSeats
    {
        private readonly SemaphoreSlim _reading = new(1, 1);
        private volatile Snapshot? _last;

        public async ValueTask<AvailableSeat[]> RecentAsync(
            Guid concertId, Func<Guid, CancellationToken, Task<AvailableSeat[]>> read, TimeSpan maxAge, TimeProvider time, CancellationToken cancellationToken)
        {
            var last = _last;
            if (last is not null && time.GetElapsedTime(last.ReadAt) <= maxAge)
            {
                return last.Seats;
            }

            // Someone is reading already: the last seats answer now, rather than a queue behind the read. Only the
            // very first refusal of a concert has nothing to answer with, and waits.
            if (last is not null && !_reading.Wait(0))
            {
                return last.Seats;
            }

            if (last is null)
            {
                await _reading.WaitAsync(cancellationToken);
            }

            try
            {
                last = _last;
                if (last is not null && time.GetElapsedTime(last.ReadAt) <= maxAge)
                {
                    return last.Seats;
                }

                var readAt = time.GetTimestamp();
                var seats = await read(concertId, cancellationToken);
                _last = new Snapshot(seats, readAt);
                return seats;
            }
            finally
            {
                _reading.Release();
            }
        }

        private sealed record Snapshot(AvailableSeat[] Seats, long ReadAt);
    }
}
