using System.Collections.Concurrent;
using Microsoft.Extensions.Options;

namespace ConcertBooking.TokenService.Queue;

/// <summary>
/// How many admissions each concert's queue may still hand out: <c>Queue:AdmitPerInterval</c> per
/// <c>Queue:AdmissionInterval</c>, refilled evenly and never saved up beyond one interval's worth. The admitter and the
/// queue's entry (<see cref="QueueOptions.AdmitOnEntry"/>) take from the same budget, so admitting at entry does not
/// raise the rate that the queue exists to hold. Kept in memory, per instance: each instance of TokenService admits
/// at this rate, as its admitter always did.
/// </summary>
public sealed class AdmissionBudget(IOptions<QueueOptions> options, TimeProvider time)
{
    private readonly ConcurrentDictionary<Guid, Bucket> _buckets = new();

    /// <returns>Up to <paramref name="wanted"/> admissions, fewer (or none) when the budget has fewer.</returns>
    public int Take(Guid concertId, int wanted) => BucketOf(concertId).Take(wanted, time.GetTimestamp());

    /// <summary>Hands back admissions taken but not used (nobody was waiting, or the entry lost a race).</summary>
    public void Return(Guid concertId, int unused)
    {
        if (unused > 0)
        {
            BucketOf(concertId).Return(unused);
        }
    }

    private Bucket BucketOf(Guid concertId) => _buckets.GetOrAdd(concertId, static (_, state) =>
    {
        var (settings, clock) = state;
        var interval = Math.Max(1, (long)(settings.AdmissionInterval.TotalSeconds * clock.TimestampFrequency));
        return new Bucket(settings.AdmitPerInterval, interval, clock.GetTimestamp());
    }, (options.Value, time));

    /// <summary>
    /// One concert's admissions, full to begin with (as the admitter admitted a full interval's worth at start). Counted
    /// in whole numbers, one admission being worth an interval's timestamp ticks, each tick refilling
    /// <c>capacity</c> of those: no rounding ever gives one more or one fewer.
    /// </summary>
    private sealed class Bucket(int capacity, long admission, long createdAt)
    {
        private readonly Lock _lock = new();
        private readonly long _full = capacity * admission;
        private long _credit = capacity * admission;
        private long _refilledAt = createdAt;

        public int Take(int wanted, long now)
        {
            lock (_lock)
            {
                // An interval refills everything: longer idle time is capped before it is multiplied.
                var elapsed = Math.Clamp(now - _refilledAt, 0, admission);
                _credit = Math.Min(_full, _credit + (elapsed * capacity));
                _refilledAt = now;
                var taken = (int)Math.Min(wanted, _credit / admission);
                _credit -= taken * admission;
                return taken;
            }
        }

        public void Return(int unused)
        {
            lock (_lock)
            {
                _credit = Math.Min(_full, _credit + (unused * admission));
            }
        }
    }
}
