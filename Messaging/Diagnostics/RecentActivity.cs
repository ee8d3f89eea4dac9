using System.Collections.Concurrent;

namespace ConcertBooking.Messaging.Diagnostics;

/// <summary>
/// What the status page shows without a query: the latest delivery lags and failures in this process.
/// Bounded, so it costs the same after a day as after a minute.
/// </summary>
public sealed class RecentActivity
{
    private const int LagSamples = 2048;
    private const int Failures = 25;
    private readonly double[] _lags = new double[LagSamples];
    private long _lagCount;
    private readonly ConcurrentQueue<RecentFailure> _failures = new();

    public void RecordLag(TimeSpan lag)
    {
        var index = Interlocked.Increment(ref _lagCount) - 1;
        _lags[index % LagSamples] = lag.TotalMilliseconds;
    }

    public void RecordFailure(RecentFailure failure)
    {
        _failures.Enqueue(failure);
        while (_failures.Count > Failures && _failures.TryDequeue(out _))
        {
        }
    }

    public IReadOnlyList<RecentFailure> RecentFailures => [.. _failures.Reverse()];

    public LagSummary Lag()
    {
        var count = (int)Math.Min(Interlocked.Read(ref _lagCount), LagSamples);
        if (count == 0)
        {
            return new LagSummary(0, null, null, null, null);
        }

        var samples = _lags.AsSpan(0, count).ToArray();
        Array.Sort(samples);
        double At(double quantile) => samples[Math.Min(count - 1, (int)Math.Ceiling(quantile * count) - 1)];
        return new LagSummary(count, At(0.50), At(0.95), At(0.99), samples[^1]);
    }
}
