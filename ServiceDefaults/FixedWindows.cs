using System.Collections.Concurrent;
using System.Threading.RateLimiting;

namespace ConcertBooking.ServiceDefaults;

/// <summary>
/// Fixed windows of permits per key, counted when a request asks: a window starts with the first request after the
/// last one ended. ASP.NET Core's partitioned limiter keeps a limiter per key and walks all of them ten times a second
/// to replenish them; with a window per user that walk was 9.7% of PaymentService's CPU in the flash sale (10,000
/// buyers). Here nothing runs between requests but a sweep of ended windows, at most once per
/// <see cref="SweepInterval"/>, on a request's thread.
/// </summary>
public sealed class FixedWindows(TimeProvider time)
{
    /// <summary>How often ended windows are forgotten at most; a forgotten window and an ended one count the same.</summary>
    public static readonly TimeSpan SweepInterval = TimeSpan.FromSeconds(10);

    /// <summary>A permit: what a window grants, and what a request no window counts is given.</summary>
    public static readonly RateLimitLease Granted = new WindowLease(true, null);

    private readonly ConcurrentDictionary<string, Window> _windows = new(StringComparer.Ordinal);
    private long _nextSweep = time.GetTimestamp();

    /// <summary>How many windows are remembered (ended ones until the next sweep).</summary>
    public int Count => _windows.Count;

    /// <summary>One permit of <paramref name="key"/>'s window, or a refusal saying when the window ends.</summary>
    public RateLimitLease Acquire(string key, int permits, TimeSpan length)
    {
        var now = time.GetTimestamp();
        SweepIfDue(now);
        while (true)
        {
            var window = _windows.GetOrAdd(key, static _ => new Window());
            lock (window)
            {
                if (window.Forgotten)
                {
                    continue; // the sweep took it out as it ended: count in the new one
                }

                if (window.Count == 0 || time.GetElapsedTime(window.StartedAt, now) >= length)
                {
                    window.StartedAt = now;
                    window.Length = length;
                    window.Count = 0;
                }

                if (window.Count < permits)
                {
                    window.Count++;
                    return Granted;
                }

                return new WindowLease(false, length - time.GetElapsedTime(window.StartedAt, now));
            }
        }
    }

    private void SweepIfDue(long now)
    {
        var due = Interlocked.Read(ref _nextSweep);
        if (now < due || Interlocked.CompareExchange(ref _nextSweep, now + (long)(SweepInterval.TotalSeconds * time.TimestampFrequency), due) != due)
        {
            return;
        }

        foreach (var (key, window) in _windows)
        {
            lock (window)
            {
                if (time.GetElapsedTime(window.StartedAt, now) >= window.Length)
                {
                    window.Forgotten = true;
                    _windows.TryRemove(new KeyValuePair<string, Window>(key, window));
                }
            }
        }
    }

    private sealed class Window
    {
        public long StartedAt;
        public TimeSpan Length;
        public int Count;
        public bool Forgotten;
    }

    private sealed class WindowLease(bool acquired, TimeSpan? retryAfter) : RateLimitLease
    {
        public override bool IsAcquired => acquired;

        public override IEnumerable<string> MetadataNames => retryAfter is null ? [] : [MetadataName.RetryAfter.Name];

        public override bool TryGetMetadata(string metadataName, out object? metadata)
        {
            metadata = retryAfter is { } after && metadataName == MetadataName.RetryAfter.Name ? after : null;
            return metadata is not null;
        }
    }
}
